import { contentLength } from './text-length.js';

// A WeChat page asks its reader to use the platform's features: follow the account (its name
// in blue, 蓝字, at the top), star it, tap 在看 or 点赞, tip, share to 朋友圈, scan a QR code,
// reply a keyword, join a group or a paid 知识星球. A short paragraph that names two of them
// and speaks to the reader is such a call
// ("点击上方蓝字关注我们 并设为星标", "关注公众号回复“加群”", "请在文末点赞、留言、转发、点个在看吧"),
// wherever the account put it and however it worded it. These are the platform's words, the
// same for every account; one of them alone is an article's (a CSRF on the 点赞 button, a scam
// spread through 微信群 and 二维码 that speaks to no reader).

/** Features only the platform has: one of them is enough, with a reader's action. */
const PLATFORM_FEATURES: readonly RegExp[] = [
  /二维码|扫码|长按识别|扫一扫/,
  /交流群|加群|进群|微信群|粉丝群|社群|群聊/,
  /星球/,
  /公众号/,
  /在看/,
  /点赞/,
  /星标|置顶/,
  // A keyword to reply with, in quotes: 回复“8825”领取.
  /后台回复|回复关键[字词]|回复\s*[“"「『]|私信/,
  // Following the account that speaks: 关注我们, 关注本号 (not 关注我们的比赛, 关注我们在…发现的: heeding what we do).
  /关注(?:我们|本号)(?![的在])/,
  /朋友圈/,
  /阅读原文/,
  // The account's name, in blue at the top of the page: 点击上方蓝字关注我们.
  /蓝字|蓝色字/,
  /赞赏|打赏/,
  /视频号/,
];
/** What a reader does anywhere (follow, share, comment, save, join or sign up, claim): two platform words with one feature. */
const READER_ACTIONS: readonly RegExp[] = [/关注/, /分享|转发|转载/, /留言|评论/, /收藏/, /加入|报名|领取/];
/** Addressing the reader: asking, inviting, telling how. */
const SPEAKS_TO_READER = /欢迎|请|记得|别忘|点击|点一下|长按|扫描|识别|关注我|加入|回复|私信|您|你|大家|师傅们|朋友们|小伙伴|我们的|本公众号|本号|本文|即可|快来/;
/** Longer paragraphs are the article's, even when they end by asking something of the reader. */
const MAX_CALL_CHARS = 150;
/** Asking to star the account: 设为星标, 设置为星标, 设个星标, 设为“星标⭐️”. */
const STAR_REQUEST = /设(?:为|置为?|个|成)\s*[“"「『]?\s*星标/;
/** A feature and an action (关注 + 公众号) make a call only in a line this short. */
const MAX_SHORT_CALL_CHARS = 60;

/** Whether a paragraph asks the reader to follow, share, scan or join rather than saying anything. */
export function isCallToReader(text: string): boolean {
  const length = contentLength(text);
  if (length > MAX_CALL_CHARS) return false;
  const features = PLATFORM_FEATURES.filter((feature) => feature.test(text)).length;
  // Short lines that need no address to be one: starring the account is only ever asked of a
  // reader (设为星标); two features and an action (点它，分享点赞在看都在这里) say nothing else,
  // unless they ask a question of their own (强制关注公众号…扫码支付怎么变得越来越复杂？).
  if (length <= MAX_SHORT_CALL_CHARS && (STAR_REQUEST.test(text) || (features >= 2 && READER_ACTIONS.some((action) => action.test(text)) && !/[？?]\s*$/.test(text)))) return true;
  if (!SPEAKS_TO_READER.test(text)) return false;
  if (features >= 2) return true;
  // One feature and a reader's action, in a short line that speaks to the reader in words of
  // its own: 攻击者诱导受害者加入微信群 has only the action (加入) to speak with.
  return features === 1 && length <= MAX_SHORT_CALL_CHARS && READER_ACTIONS.some((action) => action.test(text)) && SPEAKS_TO_READER.test(text.replace(/加入/g, ''));
}

/** A heading this short that asks readers to follow, share or comment names the block under it. */
const MAX_CALL_HEADING_CHARS = 8;

/**
 * Whether a heading is itself a call to the reader (关注我们, 扫码关注): a reader action
 * addressed by the account or through a platform feature. The account's follow block stands
 * under it: its description, its QR code, its other channels.
 */
export function isCallHeading(text: string): boolean {
  if (contentLength(text) > MAX_CALL_HEADING_CHARS || !READER_ACTIONS.some((action) => action.test(text))) return false;
  return /我们|本号/.test(text) || PLATFORM_FEATURES.some((feature) => feature.test(text));
}
