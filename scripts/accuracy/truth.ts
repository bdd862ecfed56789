// One reference as the compiler-grade tool sees it, already placed on Repograph's definitions.
export interface TruthReference {
  sourceId: string;
  targetId: string;
  /** call | type | inherit | import | other, read from the syntax at the site. */
  kind: string;
  file: string;
  line: number;
  name: string;
}

export interface GroundTruth {
  references: TruthReference[];
  /** Sites (`file:line:name`) the tool resolved to anything, inside the repo or not. */
  resolvedSites: Set<string>;
}
