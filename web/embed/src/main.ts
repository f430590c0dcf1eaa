import './start-mark';
import { CommentDeskThread } from './thread-element';

if (!customElements.get('comment-desk-thread')) customElements.define('comment-desk-thread', CommentDeskThread);
