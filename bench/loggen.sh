# bench/loggen.sh — generated access logs (sourced by run.sh and
# logformats.sh): loggen FORMAT N > file writes N requests in FORMAT, one
# of GoAccess's (combined, vcombined, common, vcommon, w3c, cloudfront,
# cloudstorage, awselb, awsalb, awss3, squid, caddy, traefikclf) or json
# (nginx escape=json).  Over 10 days of November 2026: about 40,000
# visitors a day (an address and an agent each), crawlers (Googlebot,
# bingbot, curl), campaign and channel query strings, referrers, static
# files, 404s; the same stream of requests in every format.
loggen() {
	awk -v n="$2" -v fmt="$1" 'BEGIN { srand(42);
	ua[0] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
	ua[1] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
	ua[2] = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
	ua[3] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
	ua[4] = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
	ua[5] = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
	ua[6] = "curl/8.4.0";
	ua[7] = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
	path[0] = "/"; path[1] = "/blog/post-%d"; path[2] = "/static/app.js"; path[3] = "/img/p%d.png";
	path[4] = "/products/%d"; path[5] = "/cart"; path[6] = "/search"; path[7] = "/missing-%d";
	qs[0] = ""; qs[1] = ""; qs[2] = ""; qs[3] = ""; qs[4] = "utm_source=weibo&utm_campaign=nov-sale"; qs[5] = ""; qs[6] = "q=x%d"; qs[7] = "";
	ref[0] = "-"; ref[1] = "https://www.google.com/"; ref[2] = "https://m.weibo.cn/share"; ref[3] = "https://www.example.com/blog/";
	st[0] = 200; st[1] = 200; st[2] = 200; st[3] = 304; st[4] = 404; st[5] = 301; st[6] = 200; st[7] = 500;
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ");
	per = int(n / 10) + 1;
	if (fmt == "w3c")
		print "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
	if (fmt == "cloudfront")
		print "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status";
	for (i = 0; i < n; i++) {
		day = 1 + int(i / per); sec = int((i % per) * 86400 / per);
		hh = int(sec / 3600); mm = int(sec / 60) % 60; ss = sec % 60;
		v = int(rand() * 40000);
		ip = sprintf("%d.%d.%d.%d", 10 + v % 200, int(v / 200) % 250, v % 7, 1 + v % 250);
		p = int(rand() * 8); s = (p == 7) ? 404 : st[int(rand() * 8)];
		u = sprintf(path[p], int(rand() * 500)); q = sprintf(qs[p], int(rand() * 500));
		b = int(rand() * 50000); r = ref[int(rand() * 4)]; a = ua[v % 8];
		epoch = 1793491200 + (day - 1) * 86400 + sec;     # 2026-11-01 UTC
		clf = sprintf("%02d/Nov/2026:%02d:%02d:%02d +0000", day, hh, mm, ss);
		iso = sprintf("2026-11-%02d", day); tm = sprintf("%02d:%02d:%02d", hh, mm, ss);
		req = "GET " u (q != "" ? "?" q : "") " HTTP/1.1";
		if (fmt == "combined" || fmt == "vcombined" || fmt == "traefikclf") {
			line = sprintf("%s - - [%s] \"%s\" %d %d \"%s\" \"%s\"", ip, clf, req, s, b, r, a);
			if (fmt == "vcombined") line = "www.example.com:443 " line;
			if (fmt == "traefikclf") line = line sprintf(" %d \"web@docker\" \"http://172.18.0.2:80\" %dms", i, 1 + b % 50);
		} else if (fmt == "common" || fmt == "vcommon") {
			line = sprintf("%s - - [%s] \"%s\" %d %d", ip, clf, req, s, b);
			if (fmt == "vcommon") line = "www.example.com:443 " line;
		} else if (fmt == "w3c") {
			a2 = a; gsub(/ /, "+", a2);
			line = sprintf("%s %s 10.0.0.1 GET %s %s 443 - %s %s %s %d 0 0 %d", iso, tm, u, (q != "" ? q : "-"), ip, a2, r, s, b % 900);
		} else if (fmt == "cloudfront") {
			a2 = a; gsub(/ /, "%20", a2);
			line = sprintf("%s\t%s\tLAX1\t%d\t%s\tGET\td111.cloudfront.net\t%s\t%d\t%s\t%s\t%s\t-\tHit\tid%d\twww.example.com\thttps\t100\t0.001\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/2.0\t-",
				iso, tm, b, ip, u, s, r, a2, (q != "" ? q : "-"), i);
		} else if (fmt == "cloudstorage") {
			line = sprintf("\"%d%06d\",\"%s\",\"1\",\"\",\"GET\",\"%s\",\"%d\",\"0\",\"%d\",\"1000\",\"storage.googleapis.com\",\"%s\",\"%s\",\"id%d\",\"GET_Object\",\"bucket\",\"obj\"",
				epoch, i % 1000000, ip, u (q != "" ? "?" q : ""), s, b, r, a, i);
		} else if (fmt == "awselb") {
			line = sprintf("http %sT%s.123456Z my-elb %s:2817 10.0.0.1:80 0.000073 0.001048 0.000057 %d %d 0 %d \"GET http://www.example.com:80%s HTTP/1.1\" \"%s\" - - arn \"Root=1\" \"www.example.com\"",
				iso, tm, ip, s, s, b, u (q != "" ? "?" q : ""), a);
		} else if (fmt == "awsalb") {
			line = sprintf("h2 %sT%s.123456Z app/web/1 %s:2817 10.0.0.1:80 0.000073 0.001048 0.000057 %d %d 0 %d \"GET https://www.example.com:443%s HTTP/2.0\" \"%s\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn",
				iso, tm, ip, s, s, b, u (q != "" ? "?" q : ""), a);
		} else if (fmt == "awss3") {
			line = sprintf("79a59df900b949e5 bucket [%s] %s arn:aws:iam::1:user/x 3E57427F3EXAMPLE REST.GET.OBJECT key \"%s\" %d - %d 100 10 5 \"%s\" \"%s\" -",
				clf, ip, req, s, b, r, a);
		} else if (fmt == "squid") {
			line = sprintf("Nov %02d %s proxy squid[42]: %d.123      5 %s TCP_MISS/%d %d GET http://www.example.com%s - DIRECT/10.0.0.1 text/html",
				day, tm, epoch, ip, s, b, u);
		} else if (fmt == "caddy" || fmt == "json") {
			a2 = a; gsub(/"/, "\\\"", a2);
			if (fmt == "caddy")
				line = sprintf("{\"level\":\"info\",\"ts\":%d.123,\"logger\":\"http.log.access\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"%s\",\"client_ip\":\"%s\",\"proto\":\"HTTP/1.1\",\"method\":\"GET\",\"host\":\"www.example.com\",\"uri\":\"%s\",\"headers\":{\"User-Agent\":[\"%s\"],\"Referer\":[\"%s\"]}},\"duration\":0.001,\"size\":%d,\"status\":%d,\"resp_headers\":{\"Content-Type\":[\"text/html\"]}}",
					epoch, ip, ip, u (q != "" ? "?" q : ""), a2, r, b, s);
			else
				line = sprintf("{\"time_local\":\"%s\",\"remote_addr\":\"%s\",\"request\":\"%s\",\"status\":\"%d\",\"body_bytes_sent\":\"%d\",\"http_referer\":\"%s\",\"http_user_agent\":\"%s\"}",
					clf, ip, req, s, b, r, a2);
		}
		print line;
	} }'
}

