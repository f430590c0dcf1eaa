import { EntityManager } from 'typeorm';
import { ImportCounts } from './import-counts';
import { ImportStatus } from './import-job.entity';

const MAX_PROBLEMS = 100;

export interface ImportProblem {
  line?: number;
  message: string;
}

export interface ImportState {
  status: ImportStatus;
  bytesRead: number;
  counts: ImportCounts;
  problems: ImportProblem[];
  error: string | null;
  /** Where the time went: reading the file (into staging), writing comments, recounting. */
  seconds: { reading: number; writing: number; counting: number };
}

/** A unit of work: its own transaction, or, in a dry run, a part of the one transaction rolled back at the end. */
export type Units = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

export function addProblem(state: ImportState, problem: ImportProblem): void {
  if (state.problems.length < MAX_PROBLEMS) state.problems.push(problem);
}
