// For bench/embed.mjs: from the script's start to the first page drawn ("comment-desk:drawn").
// Imported first, so that it runs before the rest of the script.
performance.mark?.('comment-desk:start');
