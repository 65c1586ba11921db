import type { StoredEvent } from '../port';
import type { StreamHead } from './append';

/**
 * The last event this process saw of recently used streams. Only a hint for hashing on the client:
 * the database takes client-computed hashes only when the hinted head is still the stream's head,
 * so a stale entry (another process appended) costs nothing but the fallback. Bounded; the oldest
 * entry goes first.
 */
export class StreamHeads {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity: number) {}

  get(stream: string): StreamHead | undefined {
    return this.heads.get(stream);
  }

  remember(stream: string, last: StoredEvent): void {
    const known = this.heads.get(stream);
    if (known && known.revision > last.revision) return;
    this.heads.delete(stream);
    this.heads.set(stream, { revision: last.revision, hash: last.hash });
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }
}
