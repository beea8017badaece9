import { type TTier } from "./domain";

/**
 * Review rules for SCHEMA_CHANGE SQL.
 *
 * Deliberately simple: no SQL parser and no tokenizer. Comments, quoted strings, quoted
 * identifiers and dollar-quoted bodies are blanked out with regular expressions, statements
 * are split on the remaining semicolons, and each rule is a keyword pattern on the normalized
 * (upper-cased, single-spaced) statement. It catches the common mistakes with clear messages;
 * it can be fooled by unusual SQL (e.g. keywords built with EXECUTE format(...)), so it is a
 * guard rail for people, not a security boundary. The rules target PostgreSQL semantics.
 */
export type TReviewSeverity = "error" | "warning";

export interface TSchemaFinding {
  rule: string;
  severity: TReviewSeverity;
  message: string;
  /** 1-based position of the statement in the SQL. */
  statementIndex: number;
  /** The statement, shortened for display. */
  excerpt: string;
}

export interface TSchemaReviewInput {
  sql: string;
  allowDrop: boolean;
  tier: TTier;
  /** The change will run inside a maintenance window. */
  inMaintenanceWindow: boolean;
  /** Whether rollback SQL was given (a warning otherwise). */
  hasRollbackSql?: boolean;
}

export interface TSchemaReview {
  /** No finding of severity "error". */
  ok: boolean;
  findings: TSchemaFinding[];
  /** The statements as written, trimmed, without the separating semicolons. */
  statements: string[];
}

export const SCHEMA_RULES = {
  empty: "schema/empty",
  dropNeedsFlag: "schema/drop-needs-flag",
  noDropDatabase: "schema/no-drop-database",
  noTruncate: "schema/no-truncate",
  unboundedDml: "schema/no-unbounded-dml",
  tableRewrite: "schema/table-rewrite",
  volatileDefault: "schema/volatile-default",
  notNullWithoutDefault: "schema/not-null-without-default",
  indexConcurrently: "schema/index-concurrently",
  setNotNull: "schema/set-not-null",
  rename: "schema/rename",
  transactionControl: "schema/transaction-control",
  noRollback: "schema/no-rollback-sql",
} as const;

/** Functions whose value differs per row: a DEFAULT using one rewrites the whole table. */
const VOLATILE_FUNCTIONS = [
  "RANDOM",
  "CLOCK_TIMESTAMP",
  "TIMEOFDAY",
  "GEN_RANDOM_UUID",
  "UUID_GENERATE_V1",
  "UUID_GENERATE_V1MC",
  "UUID_GENERATE_V4",
  "UUIDV7",
  "NEXTVAL",
];

/** Blank out comments, string literals, quoted identifiers and dollar-quoted bodies, keeping offsets. */
const MASKED = /\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"/g;

function mask(sql: string): string {
  return sql.replace(MASKED, (m) => {
    const inner = (n: number, c: string) => c.repeat(Math.max(0, n));
    if (m.startsWith("--") || m.startsWith("/*")) return m.replace(/[^\n]/g, " ");
    if (m.startsWith('"')) return `"${inner(m.length - 2, "x")}"`;
    // string literal or dollar-quoted body: keep a quoted blank of the same length
    return `'${inner(m.length - 2, " ")}'`;
  });
}

/** Split SQL into statements on semicolons outside comments, quotes and dollar-quoted bodies. */
export function splitSqlStatements(sql: string): string[] {
  const masked = mask(sql);
  const statements: string[] = [];
  let start = 0;
  for (let i = 0; i <= masked.length; i++) {
    if (i === masked.length || masked[i] === ";") {
      const original = sql.slice(start, i).trim();
      const maskedPart = masked.slice(start, i).trim();
      if (maskedPart.length > 0) statements.push(original);
      start = i + 1;
    }
  }
  return statements;
}

function normalize(statement: string): string {
  return mask(statement).toUpperCase().replace(/\s+/g, " ").trim();
}

function excerptOf(statement: string): string {
  const flat = statement.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** The first identifier after a keyword phrase in the original statement (for messages). */
function nameAfter(statement: string, pattern: RegExp): string {
  const m = pattern.exec(statement);
  return m?.[1] ?? "?";
}

export function reviewSchemaChange(input: TSchemaReviewInput): TSchemaReview {
  const statements = splitSqlStatements(input.sql);
  const findings: TSchemaFinding[] = [];
  const strict = input.tier === "T0" && !input.inMaintenanceWindow;
  const lockSeverity: TReviewSeverity = strict ? "error" : "warning";
  const lockHint = strict
    ? "on a T0 cluster this needs a maintenance window"
    : "run it in a maintenance window or at low traffic";

  if (statements.length === 0)
    findings.push({
      rule: SCHEMA_RULES.empty,
      severity: "error",
      message: "The SQL contains no statement",
      statementIndex: 0,
      excerpt: "",
    });

  statements.forEach((statement, i) => {
    const s = normalize(statement);
    const add = (rule: string, severity: TReviewSeverity, message: string) =>
      findings.push({ rule, severity, message, statementIndex: i + 1, excerpt: excerptOf(statement) });
    const id = String.raw`((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)`;

    if (/^DROP (DATABASE|TABLESPACE)\b/.test(s))
      add(SCHEMA_RULES.noDropDatabase, "error", "DROP DATABASE / TABLESPACE is never run as a schema change");
    const dropTable = /^DROP (TABLE|SCHEMA|MATERIALIZED VIEW)\b/.exec(s);
    if (dropTable && !input.allowDrop) {
      const what = dropTable[1] ?? "TABLE";
      const name = nameAfter(statement, new RegExp(String.raw`drop\s+(?:table|schema|materialized\s+view)\s+(?:if\s+exists\s+)?${id}`, "i"));
      add(
        SCHEMA_RULES.dropNeedsFlag,
        "error",
        `DROP ${what} ${name} destroys data: tick "allow drop" to confirm it is intended`,
      );
    }
    if (/^ALTER TABLE\b/.test(s) && /\bDROP (COLUMN\b|(?!CONSTRAINT\b|DEFAULT\b|NOT NULL\b|IDENTITY\b|EXPRESSION\b)[A-Z_"])/.test(s) && !input.allowDrop) {
      const name = nameAfter(statement, new RegExp(String.raw`drop\s+(?:column\s+)?(?:if\s+exists\s+)?${id}`, "i"));
      add(SCHEMA_RULES.dropNeedsFlag, "error", `DROP COLUMN ${name} destroys data: tick "allow drop" to confirm it is intended`);
    }
    if (/^TRUNCATE\b/.test(s))
      add(SCHEMA_RULES.noTruncate, "error", "TRUNCATE deletes every row and is not allowed in a schema change");
    if (/^(DELETE FROM|UPDATE)\b/.test(s) && !/\bWHERE\b/.test(s))
      add(SCHEMA_RULES.unboundedDml, "error", `${s.startsWith("DELETE") ? "DELETE" : "UPDATE"} without WHERE touches every row`);
    if (/^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|END|SAVEPOINT|RELEASE)\b/.test(s))
      add(
        SCHEMA_RULES.transactionControl,
        "error",
        "Transaction control (BEGIN, COMMIT, ROLLBACK) is not allowed: the executor runs each statement itself",
      );

    if (/^ALTER TABLE\b/.test(s)) {
      if (/\bALTER (COLUMN )?[^ ]+ (SET DATA )?TYPE\b/.test(s))
        add(SCHEMA_RULES.tableRewrite, lockSeverity, `Changing a column's type rewrites the table under an exclusive lock; ${lockHint}`);
      const addColumn = /\bADD (COLUMN )?(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|CHECK\b|FOREIGN\b)(.*)$/.exec(s);
      if (addColumn) {
        const def = addColumn[2] ?? "";
        const volatile = VOLATILE_FUNCTIONS.find((f) => new RegExp(String.raw`\bDEFAULT\b.*\b${f}\s*\(`).test(def));
        if (volatile)
          add(
            SCHEMA_RULES.volatileDefault,
            lockSeverity,
            `Adding a column with the volatile default ${volatile.toLowerCase()}() rewrites the whole table; ${lockHint} (or add the column without a default and backfill in batches)`,
          );
        else if (/\b(BIG|SMALL)?SERIAL\b|\bGENERATED ALWAYS AS \(.*\) STORED\b/.test(def))
          add(SCHEMA_RULES.volatileDefault, lockSeverity, `Adding a serial or stored generated column rewrites the whole table; ${lockHint}`);
        if (/\bNOT NULL\b/.test(def) && !/\bDEFAULT\b/.test(def) && !/\b(BIG|SMALL)?SERIAL\b|\bGENERATED\b/.test(def))
          add(
            SCHEMA_RULES.notNullWithoutDefault,
            "error",
            "Adding a NOT NULL column without a DEFAULT fails on a table that has rows; give it a default",
          );
      }
      if (/\bALTER (COLUMN )?[^ ]+ SET NOT NULL\b/.test(s))
        add(
          SCHEMA_RULES.setNotNull,
          "warning",
          "SET NOT NULL scans the whole table under an exclusive lock; add a NOT VALID check constraint and validate it first",
        );
      if (/\bRENAME\b/.test(s))
        add(SCHEMA_RULES.rename, "warning", "Renaming breaks application code that still uses the old name; deploy the code first");
    }
    if (/^(VACUUM FULL|CLUSTER)\b/.test(s))
      add(SCHEMA_RULES.tableRewrite, lockSeverity, `${s.startsWith("VACUUM") ? "VACUUM FULL" : "CLUSTER"} rewrites the table under an exclusive lock; ${lockHint}`);
    if (/^CREATE (UNIQUE )?INDEX\b/.test(s) && !/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/.test(s))
      add(
        SCHEMA_RULES.indexConcurrently,
        lockSeverity,
        `CREATE INDEX without CONCURRENTLY blocks writes while it builds; use CREATE INDEX CONCURRENTLY${strict ? " (required on a T0 cluster outside a maintenance window)" : ""}`,
      );
    if (/^ALTER TABLE .* RENAME TO\b/.test(s) === false && /^ALTER (INDEX|VIEW|SEQUENCE) .* RENAME\b/.test(s))
      add(SCHEMA_RULES.rename, "warning", "Renaming breaks application code that still uses the old name; deploy the code first");
  });

  if (statements.length > 0 && input.hasRollbackSql === false)
    findings.push({
      rule: SCHEMA_RULES.noRollback,
      severity: "warning",
      message: "No rollback SQL: if a later step fails, undoing this change needs a person",
      statementIndex: 0,
      excerpt: "",
    });

  return { ok: !findings.some((f) => f.severity === "error"), findings, statements };
}
