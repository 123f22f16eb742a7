package web

import (
	"net/http"
	"strconv"
	"strings"
)

// lang is a language the pages are written in.
type lang string

const (
	langEN lang = "en"
	langRU lang = "ru"
)

// langs lists the supported languages in the order the switcher shows them.
var langs = []lang{langEN, langRU}

// parseLang maps a ?lang= value to a language; ok is false for anything
// but "en" and "ru" (in any case).
func parseLang(s string) (l lang, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en":
		return langEN, true
	case "ru":
		return langRU, true
	}
	return "", false
}

// negotiate picks the page language: a valid ?lang= wins; otherwise
// Accept-Language decides; otherwise English.
func negotiate(r *http.Request) lang {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	return acceptLanguage(strings.Join(r.Header.Values("Accept-Language"), ","))
}

// acceptLanguage returns the supported language the Accept-Language header
// value h prefers (RFC 9110, section 12.5.4).
//
// Ranges are weighed by their q-value, ties going to the one listed first;
// ranges with q=0 or a malformed q are ignored. A range maps to Russian when
// its primary subtag is "ru" (ru, ru-RU, ru-UA…) and to English when it is
// "en" or "*". Other languages are skipped, so "de, ru;q=0.5" gives Russian,
// the best language the reader accepts, while a header naming neither gives
// the default, English. Ukrainian and other neighbouring languages are
// deliberately not mapped to Russian.
func acceptLanguage(h string) lang {
	best, bestQ := langEN, -1
	for item := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(item, ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(tag, "-")
		var l lang
		switch primary {
		case "ru":
			l = langRU
		case "en", "*":
			l = langEN
		default:
			continue
		}
		q, ok := parseQ(params)
		if !ok || q == 0 {
			continue
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// parseQ finds the q parameter among a range's parameters ("q=0.5") and
// returns its weight in thousandths. A missing q is 1000. ok is false when
// q is present but not a qvalue: "0" or "1", optionally followed by a dot
// and up to three digits, at most 1 (RFC 9110, section 12.4.2).
func parseQ(params string) (q int, ok bool) {
	q = 1000
	for p := range strings.SplitSeq(params, ";") {
		name, val, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		val = strings.TrimSpace(val)
		whole, frac, _ := strings.Cut(val, ".")
		if (whole != "0" && whole != "1") || len(frac) > 3 {
			return 0, false
		}
		for _, c := range frac {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, _ := strconv.Atoi(whole)
		q = n * 1000
		if frac != "" {
			f, _ := strconv.Atoi((frac + "00")[:3])
			q += f
		}
		if q > 1000 {
			return 0, false
		}
	}
	return q, true
}
