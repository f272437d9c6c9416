// A cloud job as the run panel shows it (browser-safe: the page reads it too). Folded by core/azure/submit/job-view.ts.

/** The service's status, the timeline of its changes, the studio link, the first real error, and the estimate made
 * before submitting next to what the job really took. */
export interface CloudJobHeader {
  jobName: string;
  workspace: string;
  /** The service's own word (`Queued`, `Running`, `Finalizing`…). */
  status: string;
  studioUrl?: string;
  /** Each status the job went through, with when this window saw it (ISO 8601). */
  timeline: { status: string; at: string }[];
  /** `file`: what to show after it (the local file of the user's frame, else the log); `logFile`/`step`: the job's
   * log it came from; `line`: the user's line in a local `file`. */
  error?: { message: string; file?: string; logFile?: string; step?: string; line?: number };
  /** What the submit flow showed before submitting. */
  estimate?: { wallSeconds: number; nodeHours: number; cost?: number; nodes: number };
  /** Once the job ended: from its first `Running` (else the first status seen) to the end, × nodes. */
  actual?: { wallSeconds: number; nodeHours: number; cost?: number };
}
