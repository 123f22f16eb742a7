package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

//go:embed templates
var assets embed.FS

// policyUpdated is the date of the last change to the privacy policy's
// content. Change it, and announce the change in the bot, whenever the
// texts in templates/en.html or templates/ru.html change in substance.
var policyUpdated = time.Date(2026, time.December, 4, 0, 0, 0, 0, time.UTC)

// pageTitles holds each page's <title> per language.
var pageTitles = map[lang]map[string]string{
	langEN: {"privacy": "Privacy policy — LeadGenRunner", "landing": "LeadGenRunner"},
	langRU: {"privacy": "Политика конфиденциальности — LeadGenRunner", "landing": "LeadGenRunner"},
}

// langLabels names each language in itself, for the language switcher.
var langLabels = map[lang]string{langEN: "English", langRU: "Русский"}

// ruMonths are Russian month names in the genitive case, as dates need.
var ruMonths = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// formatDate writes t as a reader of l expects: "4 December 2026" or
// "4 декабря 2026 г.".
func formatDate(t time.Time, l lang) string {
	if l == langRU {
		return strconv.Itoa(t.Day()) + " " + ruMonths[t.Month()-1] + " " + strconv.Itoa(t.Year()) + " г."
	}
	return t.Format("2 January 2006")
}

// parsePages parses the shared layout with each language's texts, one
// template set per language.
func parsePages() (map[lang]*template.Template, error) {
	pages := make(map[lang]*template.Template, len(langs))
	for _, l := range langs {
		t, err := template.ParseFS(assets, "templates/layout.html", "templates/"+string(l)+".html")
		if err != nil {
			return nil, err
		}
		for _, name := range []string{"privacy", "landing"} {
			if t.Lookup(name) == nil {
				return nil, fmt.Errorf("%s: no template %q", l, name)
			}
		}
		pages[l] = t
	}
	return pages, nil
}

// pageData is what the page templates see. Every string is escaped by
// html/template when rendered.
type pageData struct {
	Lang       lang
	Title      string
	CSS        template.CSS // the one inline style, allowed by its hash in the CSP
	Switch     []langLink
	Operator   string // zero: the template's default wording
	Email      string // zero: the template points to the bot's Help menu
	Bot        string // the bot's username, without "@"
	BotURL     string // https://t.me/<Bot>, or zero
	Updated    string // the policy date, formatted for Lang
	UpdatedISO string // the policy date as YYYY-MM-DD
	Retention  string // how long messages are kept, e.g. "90 days" / «90 дней»
}

// retentionText says n days in l, with the Russian plural form.
func retentionText(n int, l lang) string {
	if l != "ru" {
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	}
	switch m10, m100 := n%10, n%100; {
	case m10 == 1 && m100 != 11:
		return fmt.Sprintf("%d день", n)
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		return fmt.Sprintf("%d дня", n)
	}
	return fmt.Sprintf("%d дней", n)
}

// langLink is one entry of the language switcher.
type langLink struct {
	Lang    lang
	Label   string
	URL     string
	Current bool
}

// privacy serves the privacy policy in the reader's language.
func (s *Server) privacy(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "privacy", "/privacy")
}

// landing serves a short text about the service with a link to the policy.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "landing", "/")
}

// render executes page in the negotiated language into a buffer, so a
// template failure becomes a clean 500, then writes it with the headers
// that tell caches the response depends on Accept-Language.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page, path string) error {
	l := negotiate(r)
	body, err := s.renderPage(l, page, path)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(l))
	h.Add("Vary", "Accept-Language")
	h.Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(body)
	return err
}

// PrivacyHTML is the privacy page in language code lang ("ru" or anything
// else for English), for the bot to send as a document when the service has
// no public web address.
func (s *Server) PrivacyHTML(lang string) ([]byte, error) {
	l := langEN
	if lang == string(langRU) {
		l = langRU
	}
	return s.renderPage(l, "privacy", "/privacy")
}

func (s *Server) renderPage(l lang, page, path string) ([]byte, error) {
	d := pageData{
		Lang:       l,
		Title:      pageTitles[l][page],
		CSS:        s.css,
		Operator:   s.cfg.OperatorName,
		Email:      s.cfg.ContactEmail,
		Bot:        s.cfg.BotUsername,
		Updated:    formatDate(policyUpdated, l),
		UpdatedISO: policyUpdated.Format(time.DateOnly),
		Retention:  retentionText(s.cfg.RetentionDays, l),
	}
	if d.Bot != "" {
		d.BotURL = "https://t.me/" + d.Bot
	}
	for _, o := range langs {
		d.Switch = append(d.Switch, langLink{
			Lang:    o,
			Label:   langLabels[o],
			URL:     path + "?" + url.Values{"lang": {string(o)}}.Encode(),
			Current: o == l,
		})
	}
	var buf bytes.Buffer
	if err := s.pages[l].ExecuteTemplate(&buf, page, d); err != nil {
		return nil, fmt.Errorf("render %s (%s): %w", page, l, err)
	}
	return buf.Bytes(), nil
}
