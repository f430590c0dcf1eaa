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
exports.Article = exports.MODERATION_MODES = void 0;
const typeorm_1 = require("typeorm");
exports.MODERATION_MODES = ['post', 'pre'];
let Article = class Article {
    id;
    url;
    title;
    externalId;
    moderationMode;
    closedAt;
    closedMessage;
    closeAt;
    autoCloseExempt;
    disclaimerShow;
    disclaimerText;
    countVisible;
    countPending;
    countPublished;
    countApproved;
    countRejected;
    countReported;
    createdAt;
    updatedAt;
};
exports.Article = Article;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('uuid'),
    __metadata("design:type", String)
], Article.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Index)('UQ_articles_url', { unique: true }),
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], Article.prototype, "url", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], Article.prototype, "title", void 0);
__decorate([
    (0, typeorm_1.Index)('UQ_articles_external_id', { unique: true }),
    (0, typeorm_1.Column)({ name: 'external_id', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], Article.prototype, "externalId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'moderation_mode', type: 'varchar', length: 8 }),
    __metadata("design:type", String)
], Article.prototype, "moderationMode", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], Article.prototype, "closedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'closed_message', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], Article.prototype, "closedMessage", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'close_at', type: 'timestamptz', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], Article.prototype, "closeAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'auto_close_exempt', type: 'boolean', default: false }),
    __metadata("design:type", Boolean)
], Article.prototype, "autoCloseExempt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'disclaimer_show', type: 'boolean', nullable: true }),
    __metadata("design:type", Object)
], Article.prototype, "disclaimerShow", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'disclaimer_text', type: 'text' }),
    __metadata("design:type", String)
], Article.prototype, "disclaimerText", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_visible', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countVisible", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_pending', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countPending", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_published', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countPublished", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_approved', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countApproved", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_rejected', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countRejected", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'count_reported', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Article.prototype, "countReported", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], Article.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.UpdateDateColumn)({ name: 'updated_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], Article.prototype, "updatedAt", void 0);
exports.Article = Article = __decorate([
    (0, typeorm_1.Entity)('articles'),
    (0, typeorm_1.Check)('CHK_articles_mode', `"moderation_mode" IN ('post', 'pre')`),
    (0, typeorm_1.Check)('CHK_articles_counts', `"count_visible" >= 0 AND "count_pending" >= 0 AND "count_published" >= 0 AND "count_approved" >= 0 AND "count_rejected" >= 0 AND "count_reported" >= 0`),
    (0, typeorm_1.Check)('CHK_articles_closed', `("closed_at" IS NULL) = ("closed_message" IS NULL)`),
    (0, typeorm_1.Index)('IDX_articles_created', ['createdAt', 'id'])
], Article);
//# sourceMappingURL=article.entity.js.map