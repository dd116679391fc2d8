export interface DemoOptions {
  /** Serve API and dashboard after seeding (false with --seed-only / --no-serve). */
  serve: boolean;
  /** Port of the dashboard (--port, $PORT, default 4000). */
  port: number;
  /** True when the port was chosen by the user: then it is used or the demo fails, else the next free port is taken. */
  strictPort: boolean;
  /** Interface to listen on (--host, default 127.0.0.1). */
  host: string;
  /** Name of the demo database on the server (--database, default rowtrail_demo). It is recreated on every run. */
  database: string;
  /** Access token of the API (--token, $ROWTRAIL_TOKEN, random when absent). */
  token: string | undefined;
  /** Drop the demo database when the demo stops (--drop-database-on-exit; the end-to-end tests use a database per run). */
  dropDatabaseOnExit: boolean;
}

/** Parses the demo's command line. */
export function parseDemoOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  const options: DemoOptions = {
    serve: true,
    port: Number(env.PORT ?? 4000),
    strictPort: env.PORT !== undefined,
    host: '127.0.0.1',
    database: 'rowtrail_demo',
    token: env.ROWTRAIL_TOKEN || undefined,
    dropDatabaseOnExit: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`demo: ${arg} needs a value`);
      return next;
    };
    if (arg === '--seed-only' || arg === '--no-serve') options.serve = false;
    else if (arg === '--port') {
      options.port = Number(value());
      options.strictPort = true;
    }
    else if (arg === '--host') options.host = value();
    else if (arg === '--database') options.database = value();
    else if (arg === '--token') options.token = value();
    else if (arg === '--drop-database-on-exit') options.dropDatabaseOnExit = true;
    else if (arg === '--') continue;
    else throw new Error(`demo: unknown option ${arg} (known: --seed-only, --no-serve, --port, --host, --database, --token, --drop-database-on-exit)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`demo: invalid port ${options.port}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database)) throw new Error(`demo: invalid database name ${options.database}`);
  return options;
}
