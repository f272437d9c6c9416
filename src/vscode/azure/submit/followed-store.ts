/**
 * The jobs a window follows, kept in its workspaceState until they end, so a reload follows them again. Plain
 * logic over a Memento (VS Code's storage, or a map in the tests).
 */
import { FOLLOWED_KEY, followedJobOf, sameJob, type FollowedJob } from './host';

export interface StateMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class FollowedJobs {
  constructor(private readonly state: StateMemento) {}

  /** The jobs remembered, well-formed ones only (old or hand-edited entries are dropped). */
  list(): FollowedJob[] {
    const raw = this.state.get<unknown[]>(FOLLOWED_KEY);
    return (Array.isArray(raw) ? raw : []).map(followedJobOf).filter((j): j is FollowedJob => !!j);
  }

  /** Remembers `job` (once: a second call replaces the first). */
  async remember(job: FollowedJob): Promise<void> {
    await this.state.update(FOLLOWED_KEY, [...this.list().filter((j) => !sameJob(j, job)), followedJobOf(job)]);
  }

  /** Forgets `job` (it ended). */
  async forget(job: Pick<FollowedJob, 'ws' | 'name'>): Promise<void> {
    await this.state.update(
      FOLLOWED_KEY,
      this.list().filter((j) => !sameJob(j, job)),
    );
  }
}
