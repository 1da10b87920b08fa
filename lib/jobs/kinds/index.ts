// Every job kind the workers run. A new kind is a module here that calls defineJobKind.
export { ganGeneration } from './gan-generation';
