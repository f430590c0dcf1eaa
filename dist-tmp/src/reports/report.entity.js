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
exports.Report = exports.REPORT_REASONS = void 0;
const typeorm_1 = require("typeorm");
const comment_entity_1 = require("../comments/comment.entity");
const user_entity_1 = require("../users/user.entity");
exports.REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'];
let Report = class Report {
    id;
    commentId;
    comment;
    userId;
    user;
    reason;
    note;
    createdAt;
    resolvedAt;
    resolvedBy;
};
exports.Report = Report;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('uuid'),
    __metadata("design:type", String)
], Report.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'comment_id', type: 'uuid' }),
    __metadata("design:type", String)
], Report.prototype, "commentId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => comment_entity_1.Comment, { onDelete: 'CASCADE' }),
    (0, typeorm_1.JoinColumn)({ name: 'comment_id', foreignKeyConstraintName: 'FK_reports_comment' }),
    __metadata("design:type", comment_entity_1.Comment)
], Report.prototype, "comment", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'user_id', type: 'text' }),
    __metadata("design:type", String)
], Report.prototype, "userId", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => user_entity_1.User, { onDelete: 'RESTRICT' }),
    (0, typeorm_1.JoinColumn)({ name: 'user_id', foreignKeyConstraintName: 'FK_reports_user' }),
    __metadata("design:type", user_entity_1.User)
], Report.prototype, "user", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], Report.prototype, "reason", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true }),
    __metadata("design:type", Object)
], Report.prototype, "note", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], Report.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], Report.prototype, "resolvedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'resolved_by', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], Report.prototype, "resolvedBy", void 0);
exports.Report = Report = __decorate([
    (0, typeorm_1.Entity)('reports'),
    (0, typeorm_1.Check)('CHK_reports_reason', `"reason" IN ('spam', 'abuse', 'off_topic', 'other')`),
    (0, typeorm_1.Index)('UQ_reports_comment_user', ['commentId', 'userId'], { unique: true })
], Report);
//# sourceMappingURL=report.entity.js.map