/* trends --html: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) from what trends read (trends.h). Every string from the
 * database was chosen by a crashed process or its bundle: it goes through
 * text_escape (controls, invalid UTF-8, bidi overrides as \xHH) and then
 * HTML escaping (& < > " '), in text and in attributes alike. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "trends.h"
#include "util.h"

/* s, escaped for the terminal and then for HTML; "-" for NULL. */
static void put(FILE *f, const char *s)
{
        if (!s) {
                fputs("-", f);
                return;
        }
        struct strbuf sb;
        strbuf_init(&sb);
        text_escape(&sb, s, strlen(s));
        const char *e = sb.data ? sb.data : "";
        for (size_t i = 0; i < sb.len; i++) {
                switch (e[i]) {
                case '&': fputs("&amp;", f); break;
                case '<': fputs("&lt;", f); break;
                case '>': fputs("&gt;", f); break;
                case '"': fputs("&quot;", f); break;
                case '\'': fputs("&#39;", f); break;
                default: fputc(e[i], f);
                }
        }
        strbuf_free(&sb);
}

/* t as "YYYY-MM-DD", with HH:MM when minutes, with " UTC" when zone. */
static void put_time(FILE *f, int64_t t, bool minutes, bool zone)
{
        struct tm tm;
        time_t tt = (time_t)t;
        char buf[32];
        size_t n = 0;
        if (t > 0 && gmtime_r(&tt, &tm))
                n = !minutes ? strftime(buf, sizeof(buf), "%Y-%m-%d", &tm)
                    : zone   ? strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm)
                             : strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
        fputs(n ? buf : "-", f);
}

static const char css[] =
        "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
        "h1{font-size:1.4em}h2{font-size:1.1em;margin:0 0 .4em}"
        "table{border-collapse:collapse;margin:.4em 0}th,td{padding:2px 8px;text-align:left;vertical-align:top}"
        "th{background:#eee}tr:nth-child(even) td{background:#fafafa}td.n{text-align:right}"
        "code{font:12px ui-monospace,monospace;word-break:break-all}"
        "section{border:1px solid #ccc;border-radius:4px;padding:.8em;margin:1em 0}"
        ".mark{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:bold;color:#fff}"
        ".new{background:#c0392b}.up{background:#e67e22}.down{background:#27ae60}"
        ".same{background:#7f8c8d}.quiet{background:#bdc3c7}"
        "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:.4em 0}dt{font-weight:bold}dd{margin:0}"
        "svg{display:block;margin:.3em 0}.rec{fill:#2980b9}.prev{fill:#95a5a6}.axis{stroke:#555}"
        ".gone{color:#999}";

/* The bar chart of a signature's crashes per day: the window before in
 * grey, the recent window in blue; each bar's title says its day and
 * count. */
static void chart(FILE *f, const struct trends_data *d, const struct trend_sig *s)
{
        enum { W = 720, H = 80, PAD = 14 };
        int64_t max = 1;
        for (size_t i = 0; i < d->n_days; i++)
                if (s->days[i] > max)
                        max = s->days[i];
        double bw = d->n_days ? (double)W / (double)d->n_days : W;
        fprintf(f, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                   "aria-label=\"crashes per day\">", W, H + PAD, W, H + PAD);
        for (size_t i = 0; i < d->n_days; i++) {
                if (!s->days[i])
                        continue;
                int64_t day = d->day_lo + (int64_t)i;
                double h = (double)H * (double)s->days[i] / (double)max;
                if (h < 1)
                        h = 1;
                fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                        day * 86400 >= d->rec_lo ? "rec" : "prev", (double)i * bw, (double)H - h,
                        bw > 2 ? bw - 1 : bw, h);
                put_time(f, day * 86400, false, false);
                fprintf(f, ": %" PRId64 "</title></rect>", s->days[i]);
        }
        fprintf(f, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", H, W, H);
        fprintf(f, "<text x=\"0\" y=\"%d\" font-size=\"10\">", H + PAD - 2);
        put_time(f, d->day_lo * 86400, false, false);
        fprintf(f, "</text><text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">", W, H + PAD - 2);
        put_time(f, (d->day_lo + (int64_t)d->n_days - 1) * 86400, false, false);
        fprintf(f, "</text><text x=\"%d\" y=\"10\" font-size=\"10\" text-anchor=\"end\">max %" PRId64 "/day</text></svg>\n",
                W, max);
}

/* The frames of "v1|class|exe|sigN|frame|frame...". */
static void frames(FILE *f, const char *text)
{
        const char *p = text;
        for (int i = 0; p && i < 4; i++) {
                p = strchr(p, '|');
                if (p)
                        p++;
        }
        if (!p || !*p) {
                fputs("-", f);
                return;
        }
        fputs("<ol>", f);
        while (p) {
                const char *bar = strchr(p, '|');
                size_t len = bar ? (size_t)(bar - p) : strlen(p);
                char *frame = strndup(p, len);
                fputs("<li><code>", f);
                put(f, frame ? frame : "?");
                fputs("</code></li>", f);
                free(frame);
                p = bar ? bar + 1 : NULL;
        }
        fputs("</ol>", f);
}

static void counts(FILE *f, const char *what, const struct trend_count *c, size_t n, bool first)
{
        fprintf(f, "<table><tr><th>%s</th><th>crashes</th><th>%s (UTC)</th></tr>", what, first ? "first seen" : "last seen");
        for (size_t i = 0; i < n; i++) {
                fputs("<tr><td><code>", f);
                put(f, c[i].name);
                fprintf(f, "</code></td><td class=\"n\">%" PRId64 "</td><td>", c[i].n);
                put_time(f, first ? c[i].first_seen : c[i].last_seen, true, false);
                fputs("</td></tr>", f);
        }
        fputs("</table>", f);
}

static void section(FILE *f, const struct trends_data *d, const struct trend_sig *s)
{
        fputs("<section class=\"signature\" id=\"sig-", f);
        put(f, s->sig);
        fputs("\"><h2><code class=\"sig\">", f);
        put(f, s->sig);
        fprintf(f, "</code> <span class=\"mark %s\">%s</span> %" PRId64 " crashes, %" PRId64 " in the window, %" PRId64
                   " before</h2>\n", s->trend, s->trend, s->total, s->recent, s->previous);
        chart(f, d, s);
        fputs("<dl><dt>class</dt><dd>", f);
        put(f, s->cls);
        fputs("</dd><dt>detail</dt><dd>", f);
        put(f, s->detail);
        fputs("</dd><dt>executable</dt><dd><code>", f);
        put(f, s->exe);
        fputs("</code></dd><dt>frames</dt><dd>", f);
        frames(f, s->text);
        fputs("</dd><dt>signature text</dt><dd><code class=\"text\">", f);
        put(f, s->text);
        fputs("</code></dd><dt>first seen</dt><dd>", f);
        put_time(f, s->first, true, true);
        fputs("</dd><dt>last seen</dt><dd>", f);
        put_time(f, s->last, true, true);
        fputs("</dd><dt>first version</dt><dd><code>", f);
        put(f, s->first_version);
        fprintf(f, "</code></dd><dt>hosts</dt><dd>%" PRId64, s->hosts);
        counts(f, "host", s->host_list, s->n_host_list, false);
        fputs("</dd><dt>versions</dt><dd>", f);
        counts(f, "version or build-id", s->versions, s->n_versions < 10 ? s->n_versions : 10, true);
        fputs("</dd><dt>latest crashes</dt><dd><table><tr><th>time (UTC)</th><th>host</th><th>pid</th>"
              "<th>version</th><th>bundle</th></tr>", f);
        for (size_t i = 0; i < s->n_latest; i++) {
                const struct trend_crash *c = &s->latest[i];
                fputs("<tr><td>", f);
                put_time(f, c->time, true, false);
                fputs("</td><td>", f);
                put(f, c->host);
                fprintf(f, "</td><td class=\"n\">%" PRId64 "</td><td><code>", c->pid);
                put(f, c->version);
                fprintf(f, "</code></td><td%s><code>", c->exists ? "" : " class=\"gone\" title=\"no longer there\"");
                put(f, c->bundle);
                fprintf(f, "</code>%s</td></tr>", c->exists ? "" : " (gone)");
        }
        fputs("</table></dd></dl></section>\n", f);
}

int fleet_html_write(FILE *f, const struct trends_data *d)
{
        fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                   "<title>coreinspect trends</title><style>%s</style></head><body>\n", css);
        fputs("<h1>Crashes by signature</h1><p>Database <code>", f);
        put(f, d->db_name);
        fputs("</code>, at ", f);
        put_time(f, d->now, true, true);
        fprintf(f, "; window %s (", d->window);
        put_time(f, d->rec_lo, true, false);
        fputs(" to ", f);
        put_time(f, d->rec_hi - 1, true, false);
        fputs("), against the one before", f);
        if (d->host || d->exe || d->class_id) {
                fputs("; only host <code>", f);
                put(f, d->host ? d->host : "*");
                fputs("</code>, executable <code>", f);
                put(f, d->exe ? d->exe : "*");
                fputs("</code>, class <code>", f);
                put(f, d->class_id ? d->class_id : "*");
                fputs("</code>", f);
                if (d->scope == TRENDS_EXE)
                        fputs(" (the charts and latest crashes count that executable's crashes; the hosts and versions"
                              " all the signature's)", f);
                else if (d->scope != TRENDS_ALL)
                        fputs(" (the charts, hosts and latest crashes count only the selected crashes; the versions"
                              " all the signature's)", f);
        }
        fputs(".</p>\n", f);
        if (d->n == 0)
                fputs("<p class=\"empty\">No crashes.</p>\n", f);
        else {
                fputs("<table class=\"top\"><tr><th>signature</th><th>total</th><th>window</th><th>before</th>"
                      "<th>trend</th><th>hosts</th><th>last seen (UTC)</th><th>class</th><th>executable</th></tr>\n", f);
                for (size_t i = 0; i < d->n; i++) {
                        const struct trend_sig *s = &d->sigs[i];
                        fputs("<tr><td><a href=\"#sig-", f);
                        put(f, s->sig);
                        fputs("\"><code>", f);
                        put(f, s->sig);
                        fprintf(f, "</code></a></td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
                                   "</td><td class=\"n\">%" PRId64 "</td><td><span class=\"mark %s\">%s</span></td>"
                                   "<td class=\"n\">%" PRId64 "</td><td>",
                                s->total, s->recent, s->previous, s->trend, s->trend, s->hosts);
                        put_time(f, s->last, true, false);
                        fputs("</td><td>", f);
                        put(f, s->cls);
                        fputs("</td><td><code>", f);
                        const char *slash = s->exe ? strrchr(s->exe, '/') : NULL;
                        put(f, slash ? slash + 1 : s->exe);
                        fputs("</code></td></tr>\n", f);
                }
                fputs("</table>\n", f);
                for (size_t i = 0; i < d->n; i++)
                        section(f, d, &d->sigs[i]);
        }
        fputs("<p><small>coreinspect trends --html; marks: <b>new</b> first seen in the window, <b>up</b>/<b>down</b> "
              "more/fewer than the window before, <b>same</b>, <b>quiet</b> none in either.</small></p>"
              "</body></html>\n", f);
        return ferror(f) ? -EIO : 0;
}
