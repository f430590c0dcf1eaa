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
exports.CommentRevision = void 0;
const typeorm_1 = require("typeorm");
const comment_entity_1 = require("./comment.entity");
let CommentRevision = class CommentRevision {
    id;
    commentId;
    comment;
    body;
    createdAt;
};
exports.CommentRevision = CommentRevision;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('uuid'),
    __metadata("design:type", String)
], CommentRevision.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'comment_id', type: 'uuid' }),
    __metadata("design:type", String)
], CommentRevision.prototype, "commentId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => comment_entity_1.Comment, { onDelete: 'CASCADE' }),
    (0, typeorm_1.JoinColumn)({ name: 'comment_id', foreignKeyConstraintName: 'FK_comment_revisions_comment' }),
    __metadata("design:type", comment_entity_1.Comment)
], CommentRevision.prototype, "comment", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], CommentRevision.prototype, "body", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], CommentRevision.prototype, "createdAt", void 0);
exports.CommentRevision = CommentRevision = __decorate([
    (0, typeorm_1.Entity)('comment_revisions'),
    (0, typeorm_1.Index)('IDX_comment_revisions_comment', ['commentId', 'createdAt'])
], CommentRevision);
//# sourceMappingURL=comment-revision.entity.js.map