// A real PostgreSQL server for end-to-end tests: initdb and postgres (Debian's
// postgresql package) in a temporary directory, on a free loopback port; as root, run as
// `nobody` (PostgreSQL refuses root). psql creates databases and tampers in tests.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).map(Number).filter((n) => n > 0 &&
    existsSync(join(root, String(n), 'bin', 'postgres'))).sort((a, b) => b - a);
  return majors.length ? join(root, String(majors[0]), 'bin') : null;
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid && process.getuid() === 0;
const unprivileged = (argv) => asRoot
  ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', ...argv]
  : argv;

export async function startPostgres() {
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL server under /usr/lib/postgresql (scripts/install-deps.sh)');
  const dir = mkdtempSync(join(tmpdir(), 'lanewise-pg-'));
  if (asRoot) {
    const id = (flag) => Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout);
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  const [cmd, ...args] = unprivileged([join(bin, 'initdb'), '-D', data, '-U', 'lanewise',
                                       '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const init = spawnSync(cmd, args, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [pcmd, ...pargs] = unprivileged([join(bin, 'postgres'), '-D', data, '-p', String(port),
                                         '-k', dir, '-c', 'listen_addresses=127.0.0.1']);
  const child = spawn(pcmd, pargs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d.toString(); });
  const exited = new Promise((r) => child.once('exit', r));
  const psqlArgs = (db) => ['-h', '127.0.0.1', '-p', String(port), '-U', 'lanewise', '-d', db,
                            '-v', 'ON_ERROR_STOP=1', '-qAt'];
  const deadline = Date.now() + 20000;
  while (spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status !== 0) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`postgres did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let databases = 0;
  const pg = {
    port,
    conninfo: (db) => `host=127.0.0.1 port=${port} user=lanewise dbname=${db}`,
    psql(db, sql) {
      const run = spawnSync('psql', [...psqlArgs(db), '-c', sql], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
      return run.stdout;
    },
    createDatabase() {
      const name = `lanewise_e2e_${++databases}`;
      pg.psql('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pg;
}
