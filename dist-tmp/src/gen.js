"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const typeorm_1 = require("typeorm");
const data_source_1 = require("./database/data-source");
(async () => {
    const ds = new typeorm_1.DataSource((0, data_source_1.dataSourceOptions)(process.argv[2], { migrations: [] }));
    await ds.initialize();
    const log = await ds.driver.createSchemaBuilder().log();
    for (const q of log.upQueries)
        console.log(q.query + ';');
    console.log('-- DOWN');
    for (const q of log.downQueries.reverse())
        console.log(q.query + ';');
    await ds.destroy();
})();
//# sourceMappingURL=gen.js.map