// What the reconciler writes through: the DynamoDB writer (sync/write/dynamodb-writer.ts) or the
// container's memory store (functions/store/memory-writer.ts), which matches it structurally.
import type { NameNode } from '../../functions/core/record.ts';

export interface StoreChange {
  put: NameNode[];
  delete: string[];
}

export interface ApplyResult {
  /** Names put or deleted. */
  written: string[];
  /** Names that still failed after the writer's own retries; the reconciler retries them. */
  failed: { name: string; error: string }[];
}

export interface StoreWriter {
  /** What this cluster has published: owner name -> content hash. */
  listOwned(): Promise<Map<string, string>>;
  apply(change: StoreChange): Promise<ApplyResult>;
}
