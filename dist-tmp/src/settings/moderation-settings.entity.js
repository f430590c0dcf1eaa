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
exports.ModerationSettings = void 0;
const typeorm_1 = require("typeorm");
let ModerationSettings = class ModerationSettings {
    id;
    bannedWords;
    suspectWords;
    maxLinks;
    premodNewCommenters;
    reportThreshold;
    defaultModerationMode;
    defaultDisclaimerText;
    defaultClosedMessage;
    autoCloseAfterDays;
    editWindowSeconds;
    maxCommentLength;
    version;
    updatedAt;
};
exports.ModerationSettings = ModerationSettings;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'smallint' }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'banned_words', type: 'text', array: true, default: () => "'{}'" }),
    __metadata("design:type", Array)
], ModerationSettings.prototype, "bannedWords", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'suspect_words', type: 'text', array: true, default: () => "'{}'" }),
    __metadata("design:type", Array)
], ModerationSettings.prototype, "suspectWords", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'max_links', type: 'int', default: 5 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "maxLinks", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'premod_new_commenters', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "premodNewCommenters", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'report_threshold', type: 'int', default: 3 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "reportThreshold", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'default_moderation_mode', type: 'varchar', length: 8, default: 'post' }),
    __metadata("design:type", String)
], ModerationSettings.prototype, "defaultModerationMode", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'default_disclaimer_text', type: 'text', default: 'The comments below have not been moderated.' }),
    __metadata("design:type", String)
], ModerationSettings.prototype, "defaultDisclaimerText", void 0);
__decorate([
    (0, typeorm_1.Column)({
        name: 'default_closed_message',
        type: 'text',
        default: 'We are no longer accepting comments on this article.',
    }),
    __metadata("design:type", String)
], ModerationSettings.prototype, "defaultClosedMessage", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'auto_close_after_days', type: 'int', nullable: true }),
    __metadata("design:type", Object)
], ModerationSettings.prototype, "autoCloseAfterDays", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'edit_window_seconds', type: 'int', default: 600 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "editWindowSeconds", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'max_comment_length', type: 'int', default: 5000 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "maxCommentLength", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'int', default: 1 }),
    __metadata("design:type", Number)
], ModerationSettings.prototype, "version", void 0);
__decorate([
    (0, typeorm_1.UpdateDateColumn)({ name: 'updated_at', type: 'timestamptz', precision: 3 }),
    __metadata("design:type", Date)
], ModerationSettings.prototype, "updatedAt", void 0);
exports.ModerationSettings = ModerationSettings = __decorate([
    (0, typeorm_1.Entity)('moderation_settings'),
    (0, typeorm_1.Check)('CHK_moderation_settings_single_row', `"id" = 1`),
    (0, typeorm_1.Check)('CHK_moderation_settings_mode', `"default_moderation_mode" IN ('post', 'pre')`),
    (0, typeorm_1.Check)('CHK_moderation_settings_ranges', `"max_links" >= 0 AND "premod_new_commenters" >= 0 AND "report_threshold" >= 1 AND "edit_window_seconds" >= 0 AND "max_comment_length" >= 1 AND ("auto_close_after_days" IS NULL OR "auto_close_after_days" >= 1)`)
], ModerationSettings);
//# sourceMappingURL=moderation-settings.entity.js.map