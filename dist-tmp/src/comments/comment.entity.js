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
exports.Comment = exports.VISIBLE_STATUSES = exports.COMMENT_STATUSES = void 0;
const typeorm_1 = require("typeorm");
const article_entity_1 = require("../articles/article.entity");
const user_entity_1 = require("../users/user.entity");
exports.COMMENT_STATUSES = ['published', 'pending', 'approved', 'rejected'];
exports.VISIBLE_STATUSES = ['published', 'approved'];
let Comment = class Comment {
    id;
    articleId;
    article;
    parentId;
    parent;
    authorId;
    author;
    body;
    status;
    moderationReasons;
    replyCount;
    openReportCount;
    createdAt;
    editedAt;
    deletedAt;
};
exports.Comment = Comment;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('uuid'),
    __metadata("design:type", String)
], Comment.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'article_id', type: 'uuid' }),
    __metadata("design:type", String)
], Comment.prototype, "articleId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => article_entity_1.Article, { onDelete: 'RESTRICT' }),
    (0, typeorm_1.JoinColumn)({ name: 'article_id', foreignKeyConstraintName: 'FK_comments_article' }),
    __metadata("design:type", article_entity_1.Article)
], Comment.prototype, "article", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'parent_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], Comment.prototype, "parentId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => Comment, { onDelete: 'RESTRICT' }),
    (0, typeorm_1.JoinColumn)({ name: 'parent_id', foreignKeyConstraintName: 'FK_comments_parent' }),
    __metadata("design:type", Comment)
], Comment.prototype, "parent", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'author_id', type: 'text' }),
    __metadata("design:type", String)
], Comment.prototype, "authorId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => user_entity_1.User, { onDelete: 'RESTRICT' }),
    (0, typeorm_1.JoinColumn)({ name: 'author_id', foreignKeyConstraintName: 'FK_comments_author' }),
    __metadata("design:type", user_entity_1.User)
], Comment.prototype, "author", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], Comment.prototype, "body", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], Comment.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'moderation_reasons', type: 'text', array: true, default: () => "'{}'" }),
    __metadata("design:type", Array)
], Comment.prototype, "moderationReasons", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'reply_count', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Comment.prototype, "replyCount", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'open_report_count', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], Comment.prototype, "openReportCount", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], Comment.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'edited_at', type: 'timestamptz', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], Comment.prototype, "editedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], Comment.prototype, "deletedAt", void 0);
exports.Comment = Comment = __decorate([
    (0, typeorm_1.Entity)('comments'),
    (0, typeorm_1.Check)('CHK_comments_status', `"status" IN ('published', 'pending', 'approved', 'rejected')`),
    (0, typeorm_1.Check)('CHK_comments_counts', `"reply_count" >= 0 AND "open_report_count" >= 0`),
    (0, typeorm_1.Check)('CHK_comments_not_own_parent', `"parent_id" IS NULL OR "parent_id" <> "id"`),
    (0, typeorm_1.Index)('IDX_comments_thread', ['articleId', 'createdAt', 'id'], {
        where: `"parent_id" IS NULL AND "status" IN ('published', 'approved')`,
    }),
    (0, typeorm_1.Index)('IDX_comments_replies', ['parentId', 'createdAt', 'id'], { where: `"status" IN ('published', 'approved')` }),
    (0, typeorm_1.Index)('IDX_comments_queue', ['status', 'createdAt', 'id'], { where: `"deleted_at" IS NULL` }),
    (0, typeorm_1.Index)('IDX_comments_article_queue', ['articleId', 'status', 'createdAt', 'id'], { where: `"deleted_at" IS NULL` }),
    (0, typeorm_1.Index)('IDX_comments_reported', ['createdAt', 'id'], { where: `"open_report_count" > 0 AND "deleted_at" IS NULL` }),
    (0, typeorm_1.Index)('IDX_comments_article_reported', ['articleId', 'createdAt', 'id'], {
        where: `"open_report_count" > 0 AND "deleted_at" IS NULL`,
    }),
    (0, typeorm_1.Index)('IDX_comments_author', ['authorId', 'createdAt', 'id'])
], Comment);
//# sourceMappingURL=comment.entity.js.map