"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENTITIES = void 0;
const article_entity_1 = require("../articles/article.entity");
const comment_revision_entity_1 = require("../comments/comment-revision.entity");
const comment_entity_1 = require("../comments/comment.entity");
const idempotency_key_entity_1 = require("../comments/idempotency-key.entity");
const moderation_log_entry_entity_1 = require("../moderation/moderation-log-entry.entity");
const report_entity_1 = require("../reports/report.entity");
const moderation_settings_entity_1 = require("../settings/moderation-settings.entity");
const user_entity_1 = require("../users/user.entity");
exports.ENTITIES = [
    user_entity_1.User,
    article_entity_1.Article,
    comment_entity_1.Comment,
    comment_revision_entity_1.CommentRevision,
    report_entity_1.Report,
    moderation_log_entry_entity_1.ModerationLogEntry,
    moderation_settings_entity_1.ModerationSettings,
    idempotency_key_entity_1.IdempotencyKey,
];
//# sourceMappingURL=entities.js.map