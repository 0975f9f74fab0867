export interface DeployLogChunk {
  readonly seq: number;
  readonly text: string;
}

export interface DeployLogStore {
  /** Stores one chunk; `seq` counts from 1 per deployment. */
  appendDeployLog(deploymentId: number, seq: number, text: string, now: number): Promise<void>;
  /** The chunks after `afterSeq`, in order, at most `limit`. */
  readDeployLog(deploymentId: number, afterSeq: number, limit: number): Promise<DeployLogChunk[]>;
  /** The seq of the newest chunk, 0 when there is none. */
  lastDeployLogSeq(deploymentId: number): Promise<number>;
  /** When the newest chunk was stored; undefined when deploybot has no log of it. */
  lastDeployLogAt(deploymentId: number): Promise<number | undefined>;
}
