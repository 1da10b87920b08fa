const rules = new Intl.PluralRules('en');

/** "1 reader", "2 readers", "0 images": the count with its noun in the right number (English, regular plurals). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${rules.select(count) === 'one' ? noun : pluralNoun}`;
}
