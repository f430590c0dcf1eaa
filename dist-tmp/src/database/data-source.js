"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS_GLOB = void 0;
exports.dataSourceOptions = dataSourceOptions;
const node_path_1 = require("node:path");
const typeorm_1 = require("typeorm");
const entities_1 = require("./entities");
exports.MIGRATIONS_GLOB = (0, node_path_1.join)(__dirname, '..', '..', 'migrations', '*.{ts,js}');
function dataSourceOptions(url, overrides = {}) {
    return {
        type: 'postgres',
        url,
        entities: entities_1.ENTITIES,
        migrations: [exports.MIGRATIONS_GLOB],
        migrationsTableName: 'migrations',
        synchronize: false,
        migrationsRun: false,
        uuidExtension: 'pgcrypto',
        installExtensions: false,
        ...overrides,
    };
}
exports.default = new typeorm_1.DataSource(dataSourceOptions(process.env.DATABASE_URL ?? ''));
//# sourceMappingURL=data-source.js.map