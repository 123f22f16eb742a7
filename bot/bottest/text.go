package bottest

import (
	"fmt"
	"html"
	"strings"
)

// Text limits of the Bot API, in UTF-16 code units after entity parsing.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
	maxDataLen    = 64 // bytes of callback_data
)

// checkText validates text sent with parseMode the way Telegram does:
// the markup must parse, and the visible text must fit in limit. tooLong
// is the error description for an over-long text.
func checkText(text, parseMode string, limit int, tooLong string) *apiError {
	plain := text
	var err error
	switch parseMode {
	case "HTML", "html":
		plain, err = htmlPlain(text)
	case "MarkdownV2":
		plain, err = markdownV2Plain(text)
	case "Markdown", "markdown":
		plain, err = markdownPlain(text)
	}
	if err != nil {
		return badRequest("can't parse entities: %v", err)
	}
	if utf16Len(plain) > limit {
		return badRequest("%s", tooLong)
	}
	return nil
}

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"span": true, "tg-spoiler": true, "tg-emoji": true, "blockquote": true,
}

// htmlPlain returns the visible text of an HTML parse-mode text, or the
// error Telegram would report for it: unsupported or unbalanced tags, or
// an unescaped '<'.
func htmlPlain(s string) (string, error) {
	var plain strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if strings.HasPrefix(s[i:], "</") {
				j := strings.IndexByte(s[i:], '>')
				if j < 0 {
					return "", fmt.Errorf("Unclosed end tag at byte offset %d", i)
				}
				name := strings.ToLower(strings.TrimSpace(s[i+2 : i+j]))
				if len(open) == 0 {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				if top := open[len(open)-1]; name != top {
					return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top, name)
				}
				open = open[:len(open)-1]
				i += j + 1
				continue
			}
			// Like Telegram, read the name up to a space or '>' first, so
			// "1 < 2" is an unsupported tag "".
			j := i + 1
			for j < len(s) && !strings.ContainsRune(" \t\n>", rune(s[j])) {
				j++
			}
			if j == len(s) {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			name := strings.ToLower(s[i+1 : j])
			if !htmlTags[name] {
				return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			k := strings.IndexByte(s[j:], '>')
			if k < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			open = append(open, name)
			i = j + k + 1
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j <= 10 {
				ent := s[i : i+j+1]
				if u := html.UnescapeString(ent); u != ent {
					plain.WriteString(u)
					i += j + 1
					continue
				}
			}
			plain.WriteByte('&')
			i++
		default:
			plain.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return plain.String(), nil
}

// markdownV2Plain returns the visible text of a MarkdownV2 text, or the
// error Telegram would report: an unescaped reserved character or an
// unclosed entity. It approximates Telegram's parser closely enough to
// catch the usual bug, user text inserted without escaping.
func markdownV2Plain(s string) (string, error) {
	var plain strings.Builder
	inCode := false
	openAt := map[string]int{} // entity marker -> byte offset where it opened
	toggle := func(marker string, at int) {
		if _, ok := openAt[marker]; ok {
			delete(openAt, marker)
		} else {
			openAt[marker] = at
		}
	}
	linkDepth := 0
	codeAt := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			plain.WriteByte(s[i])
			continue
		}
		if inCode {
			if c == '`' {
				inCode = false
			} else {
				plain.WriteByte(c)
			}
			continue
		}
		switch c {
		case '`':
			inCode, codeAt = true, i
		case '*', '~':
			toggle(string(c), i)
		case '_':
			if strings.HasPrefix(s[i:], "__") {
				toggle("__", i)
				i++
			} else {
				toggle("_", i)
			}
		case '|':
			if !strings.HasPrefix(s[i:], "||") {
				return "", reservedErr(c)
			}
			toggle("||", i)
			i++
		case '[':
			linkDepth++
		case ']':
			if linkDepth == 0 {
				return "", reservedErr(c)
			}
			linkDepth--
			if strings.HasPrefix(s[i+1:], "(") {
				j := i + 2
				for j < len(s) && s[j] != ')' {
					if s[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(s) {
					return "", fmt.Errorf("Can't find end of a url at byte offset %d", i+1)
				}
				i = j
			}
		case '>':
			if i > 0 && s[i-1] != '\n' {
				return "", reservedErr(c)
			}
		case '(', ')', '#', '+', '-', '=', '{', '}', '.', '!':
			return "", reservedErr(c)
		default:
			plain.WriteByte(c)
		}
	}
	if inCode {
		return "", fmt.Errorf("Can't find end of Code entity at byte offset %d", codeAt)
	}
	if linkDepth > 0 {
		return "", reservedErr('[')
	}
	first := ""
	for marker, at := range openAt {
		if first == "" || at < openAt[first] {
			first = marker
		}
	}
	if first != "" {
		return "", fmt.Errorf("Can't find end of %s entity at byte offset %d", markdownEntityName[first], openAt[first])
	}
	return plain.String(), nil
}

var markdownEntityName = map[string]string{
	"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler",
}

func reservedErr(c byte) error {
	return fmt.Errorf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
}

// markdownPlain returns the visible text of a legacy Markdown text, or
// the error Telegram reports for an entity that never closes (typically a
// user name with '_' in it).
func markdownPlain(s string) (string, error) {
	var plain strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				plain.WriteByte(s[i])
			}
		case '*', '_', '`', '[':
			end := byte(c)
			if c == '[' {
				end = ']'
			}
			marker := 1
			if c == '`' && strings.HasPrefix(s[i:], "```") {
				marker = 3
			}
			j := strings.Index(s[i+marker:], strings.Repeat(string(end), marker))
			if j < 0 {
				return "", fmt.Errorf("Can't find end of the entity starting at byte offset %d", i)
			}
			plain.WriteString(s[i+marker : i+marker+j])
			i += marker + j + marker - 1
			if c == '[' && strings.HasPrefix(s[i+1:], "(") {
				k := strings.IndexByte(s[i+1:], ')')
				if k < 0 {
					return "", fmt.Errorf("Can't find end of the entity starting at byte offset %d", i+1)
				}
				i += k + 1
			}
		default:
			plain.WriteByte(c)
		}
	}
	return plain.String(), nil
}
