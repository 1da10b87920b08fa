import { expect, test } from '@playwright/test';
import { login, query } from './helpers';

/**
 * The Fréchet Radiomics Distance on the admin pages: the demo's synthetic head-CT pool and the demo checkpoint
 * that made it show the stored distance, precision/recall and the features that differ most — the figures
 * the database holds — and a reader cannot open those pages.
 */
test('the pool page and the checkpoint page show the stored FRD with the features that differ most', async ({ page }) => {
  const [row] = await query<{ frd: number; precision: number; recall: number; checkpointFrd: number }>(
    `SELECT d.frd, d.precision, d.recall, c.frd AS "checkpointFrd"
       FROM "RadiomicsDistance" d JOIN "Pool" p ON p.id = d."poolId",
            "RadiomicsDistance" c JOIN "Checkpoint" k ON k.id = c."checkpointId"
      WHERE p.key = 'CT_HEAD-64' AND k.name = 'demo-ct-64'`,
  );
  expect(row, 'the demo seed computes the distances').toBeTruthy();

  await login(page, 'admin@demo.local');
  await page.goto('/admin/pools/CT_HEAD-64');
  const panel = page.getByTestId('radiomics-distance');
  await expect(panel.getByTestId('frd')).toHaveText(row.frd.toPrecision(3));
  await expect(panel.getByTestId('frd-precision')).toHaveText(row.precision.toFixed(2));
  await expect(panel.getByTestId('frd-recall')).toHaveText(row.recall.toFixed(2));
  const differences = panel.getByTestId('frd-differences').locator('li');
  await expect(differences).toHaveCount(5);
  await expect(differences.first()).toHaveText(/^(First order|GLCM|GLRLM|GLSZM|GLDM|NGTDM) .+: synthetic .+ (lower|higher)/);

  await page.goto('/admin/checkpoints');
  const card = page.locator('[data-testid=checkpoint][data-checkpoint-name="demo-ct-64"]');
  await expect(card.getByTestId('frd')).toHaveText(row.checkpointFrd.toPrecision(3));
});

test('a reader cannot open the pool page that shows the distance', async ({ page }) => {
  await login(page, 'reader1@demo.local');
  await page.goto('/admin/pools/CT_HEAD-64');
  await expect(page.getByTestId('radiomics-distance')).toHaveCount(0);
});
