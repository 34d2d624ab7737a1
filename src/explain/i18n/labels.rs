//! Every label the renderers, errors and pages print, in English and Chinese side by
//! side: one line a label, grouped by where it is used.

use super::Text;

labels! {
    // Parts of a message, in the article's terms.
    StartLine => "start line", "起始行";
    RequestLine => "request line", "请求行";
    StatusLine => "status line", "响应行";
    HeaderLine => "header", "首部行";
    BlankLine => "blank line", "空白行";
    Body => "body", "报文主体";
    ChunkSize => "chunk size", "块大小";
    ChunkData => "chunk data", "块数据";
    ChunkEnd => "chunk end", "块结束";
    LastChunk => "last chunk", "末块";
    Trailer => "trailer", "尾部字段";
    // Parts of the start line.
    Method => "method", "方法";
    Target => "request target", "请求目标 (URL)";
    Version => "version", "协议版本";
    StatusCode => "status code", "状态码";
    ReasonPhrase => "reason phrase", "短语";
    // Table column heads.
    ColNumber => "#", "#";
    ColPart => "part", "部分";
    ColName => "name", "字段名";
    ColValue => "value", "值";
    ColOffset => "offset", "偏移";
    ColLen => "len", "长度";
    // Titles.
    TitleRequest => "Request {0}: {1}", "请求报文 {0}:{1}";
    TitleResponse => "Response {0}: {1}", "响应报文 {0}:{1}";
    TitleUnreadable => "Message {0}: could not be read", "报文 {0}:无法读取";
    // Where `listen` met a message: connection, number on it, peer, time.
    OriginRequest => "connection {0}, #{1} on it", "连接 {0} 上的第 {1} 个请求";
    OriginAnswer => "connection {0}, answer to #{1} on it", "连接 {0} 上对第 {1} 个请求的应答";
    OriginInterim => "connection {0}, interim answer to #{1} on it",
        "连接 {0} 上对第 {1} 个请求的临时应答";
    OriginFrom => "from {0} at {1}", "来自 {0},时间 {1}";
    OriginTo => "to {0} at {1}", "发往 {0},时间 {1}";
    Answered => "(answered {0})", "(已应答 {0})";
    // What a transcript said about the exchange, after a title's dash.
    CapturedConnected => "connected to {0}", "已连接到 {0}";
    CapturedHttp2 => "HTTP/2 shown as text", "以文本显示的 HTTP/2";
    // What a HAR entry says about a message rebuilt from it (src/render/har.rs).
    HarRebuilt => "rebuilt from HAR entry {0} (line endings and exact bytes are not recorded in a HAR)",
        "由 HAR 第 {0} 条记录重建(HAR 不记录换行符和原始字节)";
    HarProtocol => "sent as {0}", "以 {0} 发送";
    HarStarted => "started {0}", "开始于 {0}";
    HarServer => "server {0}", "服务器 {0}";
    HarConnection => "connection {0}", "连接 {0}";
    HarComment => "comment: {0}", "注释:{0}";
    HarTimings => "timings: {0}", "耗时:{0}";
    HarStep => "{0} {1}", "{0} {1}";
    HarStepNa => "{0} n/a", "{0} 不适用";
    HarStepBlocked => "blocked", "排队";
    HarStepDns => "DNS", "DNS";
    HarStepConnect => "connect", "连接";
    HarStepSsl => "TLS", "TLS";
    HarStepSend => "send", "发送";
    HarStepWait => "wait", "等待";
    HarStepReceive => "receive", "接收";
    HarStepSeparator => ", ", ",";
    // Why a HAR file could not be read (src/source/har).
    HarNotJson => "not valid JSON at line {0}, column {1}: {2}", "第 {0} 行第 {1} 列不是有效的 JSON:{2}";
    HarTruncated => "the HAR file ends too soon, at line {0}, column {1} (cut off?): {2}",
        "HAR 文件在第 {0} 行第 {1} 列提前结束(被截断了?):{2}";
    HarBadShape => "not the shape of a HAR at line {0}, column {1}: {2}", "第 {0} 行第 {1} 列不符合 HAR 的结构:{2}";
    HarNoEntries => "not a HAR file: no log.entries (a HAR is a JSON object whose \"log\" holds an \"entries\" array)",
        "不是 HAR 文件:没有 log.entries(HAR 是一个 JSON 对象,其 \"log\" 里有一个 \"entries\" 数组)";
    HarEmpty => "the HAR file holds no entries: nothing to show", "HAR 文件里没有记录:没有可显示的内容";
    // What a packet capture (pcap, pcapng) says about a message or a stream.
    PacketStream => "TCP stream {0}: {1} → {2}", "TCP 流 {0}:{1} → {2}";
    PacketAt => "captured {0}", "抓包时间 {0}";
    PacketAnswers => "answers message {0}", "应答报文 {0}";
    PacketNoHttp => "not HTTP/1.x, not shown", "不是 HTTP/1.x,不显示";
    PacketTls => "encrypted (TLS), not shown", "已加密(TLS),不显示";
    PacketHttp2 => "HTTP/2, not shown", "HTTP/2,不显示";
    PacketEmpty => "no payload", "没有载荷";
    PacketSwitched => "switched protocols (101) after the HTTP above; the rest is not shown, counted from the switch",
        "在上面的 HTTP 之后切换了协议(101);其余部分不显示,字节数从切换处算起";
    PacketBytes => "{0} bytes from the client, {1} from the server", "客户端发出 {0} 字节,服务器发出 {1} 字节";
    PacketFragments => "{0} IP fragments were not reassembled: the TCP bytes they carried are missing",
        "有 {0} 个 IP 分片没有重组:它们携带的 TCP 字节缺失";
    PacketLinkType => "{0} packets of link type {1} were skipped: this link type is not read",
        "跳过了 {0} 个链路类型为 {1} 的包:不支持读取这种链路类型";
    PacketNoMessage => "no HTTP/1.x message found in this capture", "这个抓包文件里没有找到 HTTP/1.x 报文";
    CaptureTruncated => "the capture ends inside the block at byte {0}", "抓包文件在第 {0} 字节开始的块中间结束";
    CaptureMalformed => "the capture has a malformed block at byte {0} ({1})", "抓包文件第 {0} 字节处的块格式不对({1})";
    CaptureTooLarge => "the capture's block at byte {0} is larger than {1} bytes", "抓包文件第 {0} 字节处的块超过 {1} 字节";
    // What `listen` says on stderr (its first line, `listening on http://...`, stays the
    // same in every language: scripts and tests read it).
    ListenTry => "try: curl -v {0}", "试试:curl -v {0}";
    ListenOpen => "warning: bound to {0}: anyone who can reach this machine over the network can reach this server",
        "警告:已绑定到 {0}:网络上能连到这台机器的人都能访问这个服务器";
    ListenInvalidReply => "warning: the reply is not valid HTTP ({0}); --allow-invalid sends it anyway",
        "警告:这个应答不是合法的 HTTP({0});--allow-invalid 让它照样发出";
    ListenStopped => "stopped: {0}, {1} ({2}), {3} received, {4} sent",
        "已停止:{0},{1}({2}),收到 {3},发出 {4}";
    ListenRefused => ", {0} refused with 503", ",{0} 个连接以 503 拒绝";
    ListenCutOffCount => ", {0} cut off", ",{0}被中断";
    ListenWaiting => "waiting for {0} in flight; Ctrl-C again to stop now",
        "正在等待进行中的 {0};再按一次 Ctrl-C 立即停止";
    ListenCutOff => "cut off by the second Ctrl-C: request #{1} on connection {0} from {2}, after {3}",
        "被第二次 Ctrl-C 中断:连接 {0} 上的第 {1} 个请求(来自 {2}),已收到 {3}";
    ListenTurnedAway => "Connection {0} from {1} turned away with 503: the limit of {2} is reached and none is idle (--max-connections)",
        "连接 {0}(来自 {1})以 503 拒绝:已达到 {2} 的上限,且没有空闲的连接(--max-connections)";
    ListenHeadWaiting => "connection {0}: {1} so far, waiting for the blank line (CR LF CR LF) that ends the head",
        "连接 {0}:已收到 {1},正在等待结束首部的空白行(CR LF CR LF)";
    /// The body of the 503 sent to a connection over --max-connections.
    ListenBusyBody => "too many connections are open; try again later",
        "打开的连接太多;请稍后再试";
    // Why `listen` refuses the reply it was asked to send.
    ReplyNotValid => "{0}: not a valid response (--allow-invalid sends it anyway)",
        "{0}:不是合法的应答(加 --allow-invalid 可照样发出)";
    ReplyIsRequest => "this is a request, not a response (it should start like HTTP/1.1 200 OK)",
        "这是请求而不是应答(应答应以 HTTP/1.1 200 OK 这样的响应行开头)";
    ReplyTrailing => "{0} bytes after the end of the response at byte {1} (is Content-Length right?)",
        "应答在第 {1} 字节处已结束,后面还有 {0} 字节(Content-Length 对吗?)";
    ReplyIncomplete => "the response is incomplete", "应答不完整";
    ReplyBodiless => "a {0} response never has a body (RFC 9110 section 6.4.1), so --body would be lost; to send one anyway, write the exact bytes to a file and use --response-file with --allow-invalid",
        "状态码为 {0} 的应答永远没有报文主体(RFC 9110 第 6.4.1 节),--body 会被丢掉;若一定要发,把确切的字节写进文件,用 --response-file 加 --allow-invalid";
    ReplyHeaderForm => "--header {0}: expected 'Name: value'", "--header {0}:应写成 'Name: value'";
    ReplyOneLine => "--reason must be one line", "--reason 只能是一行";
    ReplyEmpty => "{0}: the file is empty; a response needs at least a status line such as HTTP/1.1 200 OK",
        "{0}:文件是空的;应答至少要有一行响应行,例如 HTTP/1.1 200 OK";
    // Arguments and inputs refused before anything is shown (issue 12).
    ReplyHeaderOneLine => "--header {0}: a header must be one line (it holds a CR or LF); repeat --header for each header",
        "--header {0}:一个首部只能是一行(其中有 CR 或 LF);每个首部各用一次 --header";
    ReplyHeaderName => "--header {0}: {1} is not a header name: letters, digits and !#$%&'*+-.^_`|~ only, no spaces",
        "--header {0}:{1} 不是合法的字段名:只能用字母、数字和 !#$%&'*+-.^_`|~,不能有空格";
    ReplyHeaderValue => "--header {0}: the value holds a control character", "--header {0}:值里有控制字符";
    InputEmpty => "{0} is empty: nothing to show", "{0} 是空的:没有可显示的内容";
    StandardInput => "standard input", "标准输入";
    CurlNoConnect => "curl could not connect: {0}", "curl 没能连上服务器:{0}";
    CurlNoResolve => "curl could not resolve the host name: {0}", "curl 无法解析主机名:{0}";
    // `send`: the title's words, the timing line, what it says on standard error.
    SendSentTo => "sent to {0}", "发往 {0}";
    SendReceivedFrom => "received from {0}", "收自 {0}";
    SendHostAt => "{0} ({1})", "{0}({1})";
    SendTls => "over {0} · {1} · ALPN {2} · certificate {3}", "经 {0} 加密传输 · {1} · ALPN {2} · 证书 {3}";
    SendTlsUnchecked => " (not checked: --insecure)", "(未校验:--insecure)";
    SendNone => "none", "无";
    SendTiming => "timing: {0} · DNS {1} · connect {2} · {3}first byte {4} · total {5}",
        "耗时:{0} · DNS 解析 {1} · 建立连接 {2} · {3}首字节 {4} · 合计 {5}";
    SendTimingTls => "TLS handshake {0} · ", "TLS 握手 {0} · ";
    SendTimingReused => "timing: {0}, same connection · first byte {1} · total {2}",
        "耗时:{0},同一个连接 · 首字节 {1} · 合计 {2}";
    SendBareLf => "note: {0} has {1} line(s) ending in a bare LF, sent as they are; RFC 9112 section 2.2 asks senders for CRLF and a server may refuse them (--crlf sends CRLF)",
        "提示:{0} 有 {1} 行只以 LF 结尾,已原样发出;RFC 9112 第 2.2 节要求发送方使用 CRLF,服务器可能拒绝(--crlf 改为 CRLF 发送)";
    SendCrlfDone => "note: {0}: {1} bare LF line ending(s) in heads sent as CRLF (--crlf); bodies unchanged",
        "提示:{0}:首部中 {1} 个只有 LF 的行尾已改为 CRLF 发送(--crlf);主体不变";
    SendRedirect => "-L: {0} {1}: following Location to {2} (redirect {3} of at most {4})",
        "-L:{0} {1}:按 Location 跳转到 {2}(第 {3} 次重定向,最多 {4} 次)";
    SendTooManyRedirects => "stopped after {0} redirects (the most -L follows); the last one pointed to {1}",
        "已重定向 {0} 次(-L 最多跟随这么多次),停止;最后一次指向 {1}";
    SendBadLocation => "the redirect's Location {0} cannot be followed: {1}",
        "无法跟随重定向的 Location {0}:{1}";
    SendBadUrl => "bad URL {0}: {1}", "URL 有误 {0}:{1}";
    UrlScheme => "only http:// and https:// URLs can be sent (HTTP/2 and other protocols are out of scope)",
        "只能发送 http:// 和 https:// 的 URL(HTTP/2 和其他协议不在范围内)";
    UrlSpaces => "spaces and control characters are not allowed in a URL (write a space as %20)",
        "URL 里不能有空格和控制字符(空格写作 %20)";
    UrlUserInfo => "user names and passwords in URLs are not supported (send an Authorization header with -H)",
        "不支持 URL 里的用户名和密码(用 -H 发送 Authorization 首部)";
    UrlPort => "the port is not a number from 1 to 65535", "端口不是 1 到 65535 之间的数字";
    UrlNoHost => "the URL has no host", "URL 里没有主机名";
    UrlNotAuthority => "expected host:port, e.g. 127.0.0.1:8080", "应写成 host:port,例如 127.0.0.1:8080";
    SendResolve => "could not resolve host {0}: {1}", "无法解析主机名 {0}:{1}";
    SendResolveTimeout => "looking up {0} took longer than {1} (--timeout)", "解析 {0} 超过了 {1}(--timeout)";
    SendRefused => "connection refused by {0}: no server is listening on that port",
        "{0} 拒绝连接:那个端口上没有服务器在监听";
    SendConnectTimeout => "connecting to {0} timed out after {1} (--timeout)", "连接 {0} 超时,已等待 {1}(--timeout)";
    SendConnect => "could not connect to {0}: {1}", "无法连接到 {0}:{1}";
    SendTlsFailed => "TLS handshake with {0} failed: {1}", "与 {0} 的 TLS 握手失败:{1}";
    TlsUnknownIssuer => "the certificate is not signed by a trusted authority (self-signed, or a private CA): give the CA with --cacert FILE, or skip the check with -k/--insecure",
        "证书不是由受信任的机构签发的(自签名或私有 CA):用 --cacert FILE 指定 CA,或用 -k/--insecure 跳过校验";
    TlsNameMismatch => "the certificate is not valid for this host name", "证书对这个主机名无效";
    TlsExpired => "the certificate has expired", "证书已过期";
    TlsNotYetValid => "the certificate is not valid yet (is the clock right?)", "证书尚未生效(时钟对吗?)";
    TlsBadCertificate => "the certificate was refused: {0}", "证书被拒绝:{0}";
    TlsAlert => "the server refused the handshake: {0}", "服务器拒绝了握手:{0}";
    TlsNotTls => "the server did not answer in TLS (is it a plain http:// server?)",
        "服务器没有用 TLS 应答(它是普通的 http:// 服务器吗?)";
    TlsClosed => "the server closed the connection during the handshake", "服务器在握手过程中关闭了连接";
    TlsTimedOut => "no answer for {0} (--timeout)", "{0} 内没有应答(--timeout)";
    SendCaCert => "--cacert {0}: {1}", "--cacert {0}:{1}";
    CaNoCertificate => "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file",
        "文件里没有 PEM 证书(-----BEGIN CERTIFICATE-----)";
    CaUnreadable => "not a readable certificate: {0}", "无法读取的证书:{0}";
    SendWrite => "writing the request failed: {0}", "发送请求失败:{0}";
    SendWriteTimeout => "writing the request timed out after {0} (--timeout)", "发送请求超时,已等待 {0}(--timeout)";
    SendClosedEarly => "the server closed the connection before response {0} was complete (what came is shown above)",
        "服务器在响应 {0} 完整之前关闭了连接(已收到的部分见上)";
    SendClosedNoAnswer => "the server closed the connection without answering request {0}",
        "服务器没有应答请求 {0} 就关闭了连接";
    SendReadTimeout => "no byte of response {0} came for {1} (--timeout)", "响应 {0} 在 {1} 内没有任何字节到达(--timeout)";
    SendReadTimeoutPartial => "response {0} stopped coming: no byte for {1} (--timeout); what came is shown above",
        "响应 {0} 中断:{1} 内没有新字节(--timeout);已收到的部分见上";
    SendReadFailed => "reading response {0} failed: {1}", "读取响应 {0} 失败:{1}";
    SendNotHttp => "response {0} is not valid HTTP, so where the next response starts is unknown: {1} request(s) after it not read",
        "响应 {0} 不是合法的 HTTP,无法知道下一个响应从哪里开始:其后 {1} 个请求的响应没有读取";
    SendCutNote => "response {0}: the body was read up to --max-body ({1} bytes) and the connection closed",
        "响应 {0}:主体读到 --max-body({1} 字节)为止,随后关闭了连接";
    SendSwitched => "response {0} switched protocols (101): what follows is not HTTP/1.x, so reading stops",
        "响应 {0} 切换了协议(101):之后不再是 HTTP/1.x,停止读取";
    SendTooManyInterim => "response {0}: more than {1} interim (1xx) responses and no final one: stopped reading",
        "响应 {0}:超过 {1} 个临时(1xx)响应仍没有最终响应:停止读取";
    SendFile => "{0} {1}: {2}", "{0} {1}:{2}";
    SendFileTooBig => "larger than {0} bytes", "超过 {0} 字节";
    SendRawEmpty => "--raw {0}: the file is empty; write a request such as GET / HTTP/1.1 in it",
        "--raw {0}:文件是空的;在里面写一个请求,例如 GET / HTTP/1.1";
    SendNoRequest => "--raw {0}: no request in the file (it should start with a request line such as GET / HTTP/1.1)",
        "--raw {0}:文件里没有请求(应以 GET / HTTP/1.1 这样的请求行开头)";
    SendBodyNotSent => "the body was not sent: the server gave its final answer before 100 Continue",
        "报文主体没有发出:服务器在 100 Continue 之前就给出了最终应答";
    SendNoContinue => "no 100 Continue within {0}: sending the body anyway (as curl does)",
        "{0} 内没有收到 100 Continue:照样发送报文主体(curl 也这样做)";
    SendBadMethod => "-X {0}: a method is a token: letters, digits and !#$%&'*+-.^_`|~ only, no spaces",
        "-X {0}:方法必须是 token:只能用字母、数字和 !#$%&'*+-.^_`|~,不能有空格";
    // `httpdump explain`: the reference tables.
    KindHeader => "header", "首部字段";
    KindStatus => "status code", "状态码";
    KindMethod => "method", "方法";
    KindDiagnostic => "diagnostic", "诊断";
    /// A message that could not be read, by its code (`no-colon`).
    KindParseError => "parse error", "解析错误";
    RowMeaning => "meaning", "含义";
    RowReference => "defined in", "出处";
    RowRegistry => "IANA registry", "IANA 注册";
    RowPhrase => "reason phrase", "短语";
    RowClass => "class", "类别";
    RowSeverity => "severity", "级别";
    Yes => "yes", "是";
    No => "no", "否";
    RegPermanent => "permanent", "永久";
    RegUnregistered => "not registered", "未注册";
    ExplainUnknown => "no header, status code, method, diagnostic or error code is called {0}",
        "没有叫 {0} 的首部字段、状态码、方法、诊断或错误代码";
    ExplainDidYouMean => "did you mean {0}?", "你是不是想找 {0}?";
    ExplainSeeList => "`httpdump explain --list headers|status|methods|diagnostics` lists every entry",
        "`httpdump explain --list headers|status|methods|diagnostics` 列出全部条目";
    WhileReading => "reading", "读取时";
    WhileWriting => "writing output", "写输出时";
    CannotListen => "cannot listen on {0}", "无法在 {0} 上监听";
    CurlFailed => "curl failed before any HTTP was exchanged: {0}", "curl 在交换任何 HTTP 报文之前就失败了:{0}";
    CountConnection => "{0} connection", "{0} 个连接";
    CountConnections => "{0} connections", "{0} 个连接";
    CountRequest => "{0} request", "{0} 个请求";
    CountRequests => "{0} requests", "{0} 个请求";
    CountError => "{0} error", "{0} 个错误";
    CountErrors => "{0} errors", "{0} 个错误";
    CountByte => "{0} byte", "{0} 字节";
    CountBytes => "{0} bytes", "{0} 字节";
    // The summary under a table.
    Summary => "start line {0} B · headers {1} B in {2} · blank line {3} B · {4} · total {5} B",
        "起始行 {0} B · 首部行 {1} B,共 {2} · 空白行 {3} B · {4} · 合计 {5} B";
    SummaryBody => "body {0} B ({1})", "报文主体 {0} B({1})";
    SummaryBodyDecoded => "body {0} B on the wire, {1} B decoded ({2})",
        "报文主体 传输 {0} B,解码后 {1} B({2})";
    /// How a chunked body's length was decided: by its chunks.
    FramingChunks => "chunked: {0} + last chunk", "分块 chunked:{0} + 末块";
    ChunkOne => "{0} chunk", "{0} 块";
    ChunkMany => "{0} chunks", "{0} 块";
    LineOne => "{0} line", "{0} 行";
    LineMany => "{0} lines", "{0} 行";
    // How the body's length was decided (RFC 9112 section 6.3).
    FramingNone => "none", "无主体";
    FramingContentLength => "content-length", "Content-Length";
    FramingChunked => "chunked", "分块 chunked";
    FramingUntilClose => "until-close", "读到连接关闭";
    // Rows standing for several lines, or for lines not captured.
    MoreBodyLines => "… {0} more bytes in {1} (--max-body-lines)",
        "… 还有 {1},共 {0} 字节未显示(--max-body-lines)";
    MoreLineOne => "{0} more line", "{0} 行";
    MoreLineMany => "{0} more lines", "{0} 行";
    /// After a value cut to `--max-cell-chars` or a title cut short.
    CutBytes => "… (+{0} bytes)", "…(还有 {0} 字节)";
    BinaryBody => "binary, {0} bytes: ", "二进制,{0} 字节:";
    HiddenBodyBytes => "{0} bytes, not shown by curl", "{0} 字节,curl 未显示";
    HiddenBody => "not shown by curl", "curl 未显示";
    HiddenBodyHarBytes => "{0} bytes, not in the HAR", "{0} 字节,HAR 中没有";
    HiddenBodyHar => "not in the HAR", "HAR 中没有";
    // Diagnostics and errors.
    SeverityError => "error", "错误";
    SeverityWarning => "warning", "警告";
    SeverityNote => "note", "提示";
    PlaceLine => "line {0}, byte {1}", "第 {0} 行,第 {1} 字节";
    PlaceByte => "byte {0}", "第 {0} 字节";
    /// Before an error or a note; the space after it is part of the label, since Chinese
    /// punctuation needs none.
    ErrorPrefix => "error: ", "错误:";
    NotePrefix => "note: ", "提示:";
    Skipped => "skipped {0} bytes at byte {1} that are not a message: ",
        "跳过第 {1} 字节起不属于任何报文的 {0} 字节:";
    /// Between a place ("line 2, byte 25") or a part and what is said about it.
    Colon => ": ", ":";
    // Punctuation around what a note says: "{text} ({reference})", "{a}; {b}", "a, b".
    Parenthesized => "{0} ({1})", "{0}({1})";
    Semicolon => "{0}; {1}", "{0};{1}";
    ListComma => ", ", "、";
    /// Between alternatives.
    Or => " or ", " 或 ";
    CiteSection => "{0} section {1}", "{0} 第 {1} 节";
    CiteAppendix => "{0} appendix {1}", "{0} 附录 {1}";
    /// Why an input shows nothing (on standard error).
    NoMessageInTranscript => "no HTTP message found in this transcript", "这份记录里没有找到 HTTP 报文";
    NotHttp => "not HTTP and not a transcript: expected HTTP messages (a request line like `GET / HTTP/1.1` or a status line like `HTTP/1.1 200 OK`) or a transcript: `curl -v` output (lines starting with `> `, `< `, `* `), a `curl --trace-ascii` file, or `http -v`/`xh -v` output",
        "既不是 HTTP 报文也不是命令记录:应为 HTTP 报文(请求行如 `GET / HTTP/1.1`,响应行如 `HTTP/1.1 200 OK`),或命令记录:`curl -v` 的输出(以 `> `、`< `、`* ` 开头的行)、`curl --trace-ascii` 文件、`http -v`/`xh -v` 的输出";
    // The packet view (--hex).
    HexOffset => "offset", "偏移";
    HexBytes => "hex", "十六进制";
    HexAscii => "ascii", "ASCII";
    HexLine => "line", "行";
    HexMoreBytes => "… {0} more bytes (--max-body-lines)", "… 还有 {0} 字节未显示(--max-body-lines)";
    // The page `listen --echo` shows a browser.
    PageIntro => "The request your browser just sent, line by line, as httpdump listen --echo received it. Reload to send it again.",
        "你的浏览器刚刚发出的请求,逐行拆解,正是 httpdump listen --echo 收到的内容。刷新页面会再发送一次。";
    PageDiagnostics => "Diagnostics", "诊断";
    PageNoDiagnostics => "No problems found.", "没有发现问题。";
    PageBytes => "Bytes on the wire", "线路上的字节";
    // The live page (`listen --live`) and what its listener says.
    LiveTitle => "httpdump live", "httpdump 实时";
    LiveWaiting => "Waiting for requests to {0}", "等待发往 {0} 的请求";
    LivePause => "Pause", "暂停";
    LiveResume => "Resume", "继续";
    LiveClear => "Clear", "清空";
    LiveTheme => "Light / dark", "浅色 / 深色";
    LiveFilter => "Filter: method, path or status", "筛选:方法、路径或状态码";
    LiveConnected => "live", "实时";
    LiveReconnecting => "connection lost, reconnecting…", "连接中断,正在重连…";
    LivePaused => "paused: {0} waiting", "已暂停:{0} 条等待中";
    LiveMissed => "{0} skipped: this page fell behind", "跳过了 {0} 条:本页跟不上了";
    LiveNoAnswer => "no answer yet", "尚未回应";
    LiveMethods => "methods:", "方法:";
    LiveStatuses => "statuses:", "状态码:";
    LiveListening => "live page on {0}", "实时页面:{0}";
    LiveTokenNote => "the page shows every request's headers (cookies, authorization): share this link only with the room",
        "页面会显示每个请求的首部(包括 cookie 和授权信息):只把这个链接给课堂里的人";
    LiveForbidden => "this page needs the token in the link httpdump printed at start-up", "此页面需要 httpdump 启动时打印的链接中的令牌";
    LiveNotFound => "not found: the live page is at /", "未找到:实时页面在 /";
    LiveBusy => "too many viewers at once", "同时查看的人太多了";
    // Notes for --explain: the parts of the start line and the blank line.
    NoteTarget => "which resource the request is about", "请求针对的资源";
    NoteVersion => "the HTTP version the sender speaks", "发送方使用的 HTTP 版本";
    NoteReasonPhrase => "words for people; programs ignore them (RFC 9112 section 4)",
        "给人看的说明,程序会忽略它(RFC 9112 第 4 节)";
    NoteRequestLine => "request line = method SP request-target SP HTTP-version CRLF (RFC 9112 section 3)",
        "请求行 = 方法 空格 请求目标 空格 协议版本 CRLF(RFC 9112 第 3 节)";
    NoteStatusLine => "status line = HTTP-version SP status-code SP [reason-phrase] CRLF (RFC 9112 section 4)",
        "响应行 = 协议版本 空格 状态码 空格 [短语] CRLF(RFC 9112 第 4 节)";
    /// Shown for a part of the start line that has no bytes (an empty reason phrase).
    Empty => "(empty)", "(空)";
    NoteBlankLine => "an empty line (just CRLF): the head ends here (RFC 9112 section 2.1)",
        "只有 CRLF 的空行:首部到此结束(RFC 9112 第 2.1 节)";
    // Notes for --explain: the forms of a request target (RFC 9112 section 3.2).
    FormOrigin => "origin-form: path and query, the usual form (RFC 9112 section 3.2.1)",
        "origin-form:路径加查询串,最常见的形式(RFC 9112 第 3.2.1 节)";
    FormAbsolute => "absolute-form: a whole URI, sent to proxies (RFC 9112 section 3.2.2)",
        "absolute-form:完整的 URI,发给代理时使用(RFC 9112 第 3.2.2 节)";
    FormAuthority => "authority-form: host:port, only for CONNECT (RFC 9112 section 3.2.3)",
        "authority-form:host:port,只用于 CONNECT(RFC 9112 第 3.2.3 节)";
    FormAsterisk => "asterisk-form: *, the server as a whole, only for OPTIONS (RFC 9112 section 3.2.4)",
        "asterisk-form:*,指整个服务器,只用于 OPTIONS(RFC 9112 第 3.2.4 节)";
    // Notes for --explain: how the body's length was decided (RFC 9112 section 6.3).
    NoteBodyNone => "no body: nothing says one follows (RFC 9112 section 6.3)",
        "没有主体:没有任何字段表明后面有主体(RFC 9112 第 6.3 节)";
    NoteBodyNoneStatus => "no body: responses to HEAD and 1xx, 204, 304 responses never have one (RFC 9112 section 6.3)",
        "没有主体:对 HEAD 的响应以及 1xx、204、304 响应永远没有主体(RFC 9112 第 6.3 节)";
    NoteBodyContentLength => "the body is exactly Content-Length bytes (RFC 9112 section 6.3)",
        "主体恰好是 Content-Length 指定的字节数(RFC 9112 第 6.3 节)";
    NoteBodyChunked => "chunked: each chunk starts with its size in hex; size 0 ends the body (RFC 9112 section 7.1)",
        "分块传输:每块以十六进制长度开头,长度为 0 的块表示结束(RFC 9112 第 7.1 节)";
    NoteBodyUntilClose => "no length given: the body runs until the server closes the connection (RFC 9112 section 6.3)",
        "没有给出长度:主体一直持续到服务器关闭连接(RFC 9112 第 6.3 节)";
    NoteChunkSize => "size of the next chunk in hex, then CRLF", "下一块的十六进制长度,后跟 CRLF";
    NoteChunkData => "the chunk's data: exactly the {0} bytes its size line announced (hex {1}); a line break inside it is data (RFC 9112 section 7.1)",
        "块数据:正好是块大小行给出的 {0} 字节(十六进制 {1});其中的换行也是数据(RFC 9112 第 7.1 节)";
    NoteChunkEnd => "the CRLF that closes the chunk's data; the chunk size does not count it (RFC 9112 section 7.1)",
        "结束块数据的 CRLF;块大小不包括它(RFC 9112 第 7.1 节)";
    NoteTrailerSection => "trailer section: fields sent after the body, often announced by a Trailer header (RFC 9112 section 7.1.2)",
        "尾部字段区:在主体之后发送的字段,通常由 Trailer 首部预告(RFC 9112 第 7.1.2 节)";
    NoteLastChunk => "size 0: the last chunk; trailer fields may follow, then an empty line (RFC 9112 section 7.1)",
        "长度 0:最后一块;后面可以有尾部字段,再以空行结束(RFC 9112 第 7.1 节)";
    NoteBodyEnd => "an empty line: the chunked body ends here (RFC 9112 section 7.1)",
        "空行:分块主体到此结束(RFC 9112 第 7.1 节)";
    NoteContinuation => "continues the field above (obsolete line folding, RFC 9112 section 5.2)",
        "接续上一行的字段值(过时的折行,RFC 9112 第 5.2 节)";
    // What a header name is, when the table does not know it.
    HeaderUnregistered => "not in the IANA HTTP Field Name Registry: an application-specific field",
        "不在 IANA HTTP 字段名注册表中:应用自定义的字段";
    HeaderPrivate => "X- prefix: a private convention, not registered (RFC 6648 advises against the prefix)",
        "X- 前缀:私有约定,未注册(RFC 6648 不建议使用该前缀)";
    HeaderNotRegisteredBy => "not in the IANA registry; defined by {0}", "不在 IANA 注册表中;由 {0} 定义";
    HeaderDeprecated => "deprecated", "已弃用";
    HeaderObsoleted => "obsolete", "已废弃";
    HeaderProvisional => "provisional registration", "临时注册";
    // Properties of a method.
    MethodSafe => "safe", "安全";
    MethodIdempotent => "idempotent", "幂等";
    MethodUnregistered => "not in the IANA HTTP Method Registry", "不在 IANA HTTP 方法注册表中";
    // Status code classes (RFC 9110 section 15).
    Class1xx => "1xx informational: interim, the final response follows", "1xx 信息:临时响应,后面还有最终响应";
    Class2xx => "2xx successful: the request worked", "2xx 成功:请求已成功处理";
    Class3xx => "3xx redirection: go somewhere else to finish", "3xx 重定向:需要到别处完成请求";
    Class4xx => "4xx client error: the request was wrong", "4xx 客户端错误:请求有问题";
    Class5xx => "5xx server error: the server failed", "5xx 服务器错误:服务器处理失败";
    StatusUnregistered => "not in the IANA HTTP Status Code Registry", "不在 IANA HTTP 状态码注册表中";
    // `relay`: titles, notes, failures and the summary.
    RelayExchange => "exchange {0}", "交换 {0}";
    RelayClient => "client connection {0} ({1})", "客户端连接 {0}({1})";
    RelayUpstream => "upstream connection {0} ({1})", "上游连接 {0}({1})";
    RelayNoUpstream => "no upstream connection", "没有上游连接";
    RelayTook => "{0} after the request arrived", "请求到达后 {0}";
    RelayBodyTotal => "{0} of body passed through; the table holds the first {1}",
        "共转发主体 {0};表格只保留前 {1}";
    RelayRewritten => "exchange {0}: a line changed on the way, as proxy rules require: received  {1}  forwarded  {2}",
        "交换 {0}:按代理规则改写了一行:收到  {1}  转发为  {2}";
    RelayAdded => "exchange {0}: a line added on the way: {1}", "交换 {0}:转发时添加了一行:{1}";
    RelayMadeHere => "made by httpdump relay", "由 httpdump relay 生成";
    RelayTunnelTls => "exchange {0}: tunnel to {1} closed after {2}: {3} client → upstream, {4} upstream → client (encrypted, not shown)",
        "交换 {0}:到 {1} 的隧道在 {2} 后关闭:客户端 → 上游 {3},上游 → 客户端 {4}(已加密,不显示)";
    RelayTunnelOther => "exchange {0}: the switched connection to {1} closed after {2}: {3} client → upstream, {4} upstream → client (not HTTP/1.x, not shown)",
        "交换 {0}:到 {1} 的协议切换后连接在 {2} 后关闭:客户端 → 上游 {3},上游 → 客户端 {4}(不是 HTTP/1.x,不显示)";
    RelayCut => "exchange {0}: {1}; both connections closed", "交换 {0}:{1};两端连接均已关闭";
    RelayRefused => "upstream {0} refused the connection", "上游 {0} 拒绝了连接";
    RelayUnresolved => "upstream host {0} could not be looked up: {1}", "无法解析上游主机 {0}:{1}";
    RelayConnectFailed => "cannot connect to upstream {0}: {1}", "无法连接上游 {0}:{1}";
    RelayTlsFailed => "TLS with upstream {0} failed: {1}", "与上游 {0} 的 TLS 握手失败:{1}";
    RelaySilent => "upstream {0} sent no response within {1} (--timeout)", "上游 {0} 在 {1} 内没有响应(--timeout)";
    RelayUpstreamClosed => "upstream {0} closed the connection before a whole response", "上游 {0} 在发完整个响应之前关闭了连接";
    RelayBadResponse => "upstream {0} sent a response that cannot be read, not forwarded (--strict)",
        "上游 {0} 发来的响应无法解析,未转发(--strict)";
    RelayNeedsAbsolute => "a forward proxy needs an absolute target (GET http://host/path) or CONNECT host:port; without --to there is no server to send this to",
        "正向代理需要绝对形式的目标(GET http://host/path)或 CONNECT host:port;没有 --to 时不知道发往哪台服务器";
    RelayHttpsTarget => "an https:// target must come through CONNECT (curl -x does so by itself)",
        "https:// 目标必须通过 CONNECT(curl -x 会自动这样做)";
    RelayClientGone => "the client went away in the middle of the request", "客户端在请求中途断开";
    RelayClientSilent => "the client sent nothing for {0} in the middle of the request (--timeout)",
        "客户端在请求中途 {0} 没有发送任何字节(--timeout)";
    RelayBadChunk => "the chunked body is broken: {0}", "分块主体格式错误:{0}";
    RelayTo => "relaying to {0}", "转发到 {0}";
    RelayTryReverse => "try: curl -v {0}", "试试:curl -v {0}";
    RelayTryForward => "forward proxy: try curl -v -x {0} http://example.com/", "正向代理:试试 curl -v -x {0} http://example.com/";
    RelayStopped => "stopped: {0}, {1} ({2}), {3} from clients, {4} from upstreams",
        "已停止:{0},{1}({2}),来自客户端 {3},来自上游 {4}";
    CountExchange => "{0} exchange", "{0} 次交换";
    CountExchanges => "{0} exchanges", "{0} 次交换";
}
