// What the entry keeps for `loadbalance weighted`: the weights of the last good read of the file.
// The entry reads the file at start and every `reloadMs` (loadbalance-corefile.ts) and passes the
// text here; as CoreDNS does, an unchanged text is not parsed again, and a bad one keeps the
// weights already loaded (the error is the entry's to log).
import { parseWeights, type Weights } from './weights-file.ts';

export class WeightTable {
  #text: string | undefined;
  #weights: Weights = new Map();

  constructor(readonly file: string) {}

  /** The weights in force: none (every address weighs 1) until a file was read. */
  get weights(): Weights {
    return this.#weights;
  }

  /**
   * Takes the file's text: true when the weights changed, false when the text is the same;
   * throws a WeightFileError (the weights in force unchanged) when it does not parse.
   */
  update(text: string): boolean {
    if (text === this.#text) return false;
    this.#weights = parseWeights(text, this.file);
    this.#text = text;
    return true;
  }
}
