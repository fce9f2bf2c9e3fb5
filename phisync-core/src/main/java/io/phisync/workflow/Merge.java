package io.phisync.workflow;

/** How a fan-in combines the outputs of branches or chunks (in branch or chunk order). */
public enum Merge {
  /** A JSON array of the outputs. */
  COLLECT,
  /** The outputs are arrays: one array of all their elements. */
  CONCAT,
  /**
   * The outputs are numbers, or objects whose numeric fields are summed field by field (fields that
   * are not numbers keep the first value seen).
   */
  SUM,
  /** An object of the outputs by branch id (parallel only). */
  OBJECT,
  /** The outputs are objects: their fields in one object, later ones winning. */
  MERGE
}
