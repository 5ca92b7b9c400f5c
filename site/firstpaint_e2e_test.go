package site

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The page is not painted before its words are in its language: a paint
// while the body's last script (early.js) was still to run showed the
// header without its lead and accounts, which then pushed the toolbar
// and the terminals down (seen on a loaded machine). The page's first
// frame, on a CPU six times slower, already has them.
func TestTheFirstPaintHasThePagesWords(t *testing.T) {
	for _, lang := range []string{"ru", "sk"} {
		t.Run(lang, func(t *testing.T) {
			p := newPage(t)
			p.do(chromedp.EmulateViewport(412, 823))
			if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `requestAnimationFrame(() => {
				const lead = document.querySelector('[data-i18n="page.lead"]');
				globalThis.atFirstFrame = { lang: document.documentElement.lang, lead: lead ? lead.textContent : null };
			});`}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(p.ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 6}); err != nil {
				t.Fatal(err)
			}
			p.do(chromedp.Navigate(p.base + "/?proto=pop3&lang=" + lang))
			p.waitJS(`globalThis.atFirstFrame !== undefined`)
			got := eval[map[string]any](p, `globalThis.atFirstFrame`)
			want := eval[string](p, `document.querySelector('[data-i18n="page.lead"]').textContent`)
			if got["lang"] != lang || got["lead"] != want || want == "" {
				t.Errorf("the first frame has lang %v and the lead %q; want %s and %q", got["lang"], got["lead"], lang, want)
			}
			if _, err := chromedp.Call(p.ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 1}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
