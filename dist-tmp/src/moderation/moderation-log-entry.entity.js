"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ModerationLogEntry = exports.LOG_TARGET_TYPES = void 0;
const typeorm_1 = require("typeorm");
exports.LOG_TARGET_TYPES = ['comment', 'article', 'user', 'settings'];
let ModerationLogEntry = class ModerationLogEntry {
    id;
    action;
    actorId;
    actorName;
    targetType;
    targetId;
    articleId;
    fromStatus;
    toStatus;
    reason;
    createdAt;
};
exports.ModerationLogEntry = ModerationLogEntry;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('uuid'),
    __metadata("design:type", String)
], ModerationLogEntry.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 32 }),
    __metadata("design:type", String)
], ModerationLogEntry.prototype, "action", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'actor_id', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "actorId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'actor_name', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "actorName", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'target_type', type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], ModerationLogEntry.prototype, "targetType", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'target_id', type: 'text' }),
    __metadata("design:type", String)
], ModerationLogEntry.prototype, "targetId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'article_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "articleId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'from_status', type: 'varchar', length: 16, nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "fromStatus", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'to_status', type: 'varchar', length: 16, nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "toStatus", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true }),
    __metadata("design:type", Object)
], ModerationLogEntry.prototype, "reason", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'clock_timestamp()' }),
    __metadata("design:type", Date)
], ModerationLogEntry.prototype, "createdAt", void 0);
exports.ModerationLogEntry = ModerationLogEntry = __decorate([
    (0, typeorm_1.Entity)('moderation_log'),
    (0, typeorm_1.Check)('CHK_moderation_log_target_type', `"target_type" IN ('comment', 'article', 'user', 'settings')`),
    (0, typeorm_1.Index)('IDX_moderation_log_created', ['createdAt', 'id']),
    (0, typeorm_1.Index)('IDX_moderation_log_target', ['targetId', 'createdAt', 'id']),
    (0, typeorm_1.Index)('IDX_moderation_log_article', ['articleId', 'createdAt', 'id']),
    (0, typeorm_1.Index)('IDX_moderation_log_actor', ['actorId', 'createdAt', 'id'])
], ModerationLogEntry);
//# sourceMappingURL=moderation-log-entry.entity.js.map