// English security vocabulary → the Chinese words security writing uses for it. General
// dictionaries give the everyday senses first (vulnerability → 弱势, flaw → 裂缝, fix → 固定,
// bug → 故障, exploit → 开采): read first, these put an English question about a Chinese
// advisory on the words the advisory is written in. Written by hand from the common
// vocabulary of advisories and threat reports (CNNVD's and CWE's classes, the parts of an
// advisory, the kinds of malware and attack); no dictionary package has this field's senses.
const TERMS = `
vulnerability vulnerable | 漏洞 | 脆弱性
bug flaw | 漏洞 | 缺陷
weakness | 弱点 | 缺陷
exploit exploitation | 利用 | 漏洞利用
attack | 攻击
attacker hacker | 攻击者 | 黑客
threat | 威胁
actor | 行为者 | 攻击者
patch | 补丁 | 修复
fix remediation | 修复 | 修补
mitigation mitigate workaround | 缓解 | 缓解措施 | 临时
update | 更新 | 升级
upgrade | 升级
affected affect | 影响 | 受影响
version | 版本
release | 发布 | 版本
advisory bulletin | 通告 | 公告
disclose disclosed | 披露 | 公开
disclosure leak leakage | 泄露 | 披露
exposure expose | 暴露 | 泄露
sensitive | 敏感
credential | 凭证 | 凭据
password | 密码
token | 令牌
session | 会话
authentication authenticate | 认证 | 身份验证
unauthenticated | 未经身份验证 | 未授权
authorization | 授权
unauthorized | 未授权 | 未经授权
permission | 权限
privilege | 权限 | 特权
escalation elevation | 提升 | 提权
bypass | 绕过
injection inject | 注入
command | 命令
arbitrary | 任意
execute execution | 执行
remote | 远程
overflow | 溢出
buffer | 缓冲区
heap | 堆
stack | 栈
memory | 内存
corruption | 损坏
deserialization deserialize | 反序列化
traversal | 遍历 | 穿越
upload | 上传
download | 下载
forgery | 伪造
denial | 拒绝服务
crash | 崩溃
race | 竞争
use-after-free | 释放后重用
double-free | 双重释放
pointer | 指针
validation validate | 验证 | 校验
sanitize sanitization | 过滤
malware | 恶意软件
malicious | 恶意
ransomware | 勒索软件 | 勒索
ransom | 赎金 | 勒索
trojan | 木马
backdoor | 后门
botnet | 僵尸网络
worm | 蠕虫
spyware | 间谍软件
stealer | 窃密
phishing | 钓鱼 | 网络钓鱼
payload | 载荷
loader | 加载器
campaign | 攻击活动 | 活动
infection infect | 感染
compromise | 入侵 | 攻陷
breach | 泄露 | 入侵
intrusion | 入侵
persistence | 持久化
lateral | 横向
victim | 受害者
espionage | 间谍
group gang | 组织 | 团伙
researcher | 研究人员
discover discovered | 发现
detect detection | 检测
firewall | 防火墙
gateway | 网关
router | 路由器
device | 设备
server | 服务器
client | 客户端
browser | 浏览器
plugin extension | 插件 | 扩展
kernel | 内核
driver | 驱动 | 驱动程序
firmware | 固件
chip | 芯片
container | 容器
supply | 供应链
dependency | 依赖
package | 软件包 | 包
repository | 仓库
zero-day 0-day | 零日 | 0day
severity | 严重 | 危害等级
critical | 严重 | 高危
risk | 风险
impact | 影响
encryption encrypt | 加密
decrypt decryption decryptor | 解密
key | 密钥
certificate | 证书
signature | 签名
reverse | 逆向
debug | 调试
fuzzing fuzz | 模糊测试
audit | 审计
penetration pentest | 渗透 | 渗透测试
scan scanner | 扫描 | 扫描器
bounty | 赏金 | 漏洞赏金
reward | 奖励 | 奖金
regulation | 法规 | 监管
compliance | 合规
privacy | 隐私
sanction | 制裁
account | 账户 | 账号
administrator admin | 管理员
configuration config | 配置
default | 默认
interaction | 交互
email | 邮件
attachment | 附件
domain | 域名
log | 日志
incident | 事件
emergency | 应急
hijack hijacking | 劫持
spoofing spoof | 欺骗 | 伪造
impersonate impersonation | 冒充
brute-force | 暴力破解
smuggling | 走私
poisoning | 投毒
cache | 缓存
wild | 在野
application app | 应用
website | 网站
interface | 接口
endpoint | 终端
`;

/** Per line: English words for one thing (each matching its inflections, by stem) and the Chinese for it, most used first. */
export const SECURITY_TERMS: ReadonlyArray<{ english: string[]; chinese: string[] }> = TERMS.trim()
  .split('\n')
  .map((line) => {
    const [english = '', ...chinese] = line.split('|').map((part) => part.trim());
    return { english: english.split(/\s+/), chinese };
  });
