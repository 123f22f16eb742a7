package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestPrivacyLanguage(t *testing.T) {
	tests := []struct {
		name   string
		target string
		accept string
		want   lang
	}{
		{name: "default", target: "/privacy", want: langEN},
		{name: "?lang=en", target: "/privacy?lang=en", want: langEN},
		{name: "?lang=ru", target: "/privacy?lang=ru", want: langRU},
		{name: "?lang wins over header", target: "/privacy?lang=en", accept: "ru-RU,ru;q=0.9", want: langEN},
		{name: "header ru-RU", target: "/privacy", accept: "ru-RU", want: langRU},
		{name: "header q-values pick ru", target: "/privacy", accept: "en;q=0.5, ru;q=0.9", want: langRU},
		{name: "header q-values pick en", target: "/privacy", accept: "ru;q=0.5, en;q=0.9", want: langEN},
		{name: "header unsupported", target: "/privacy", accept: "de-DE", want: langEN},
		{name: "landing ru", target: "/", accept: "ru", want: langRU},
	}
	s, _ := newTestServer(t, Config{})
	h := s.Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{}
			if tt.accept != "" {
				hdr.Set("Accept-Language", tt.accept)
			}
			res, body := do(t, h, "GET", tt.target, hdr)
			if res.StatusCode != 200 {
				t.Fatalf("status = %d; want 200", res.StatusCode)
			}
			if got := res.Header.Get("Content-Language"); got != string(tt.want) {
				t.Errorf("Content-Language = %q; want %q", got, tt.want)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Language" {
				t.Errorf("Vary = %q; want %q", got, "Accept-Language")
			}
			if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q; want HTML", got)
			}
			if want := `<html lang="` + string(tt.want) + `">`; !strings.Contains(body, want) {
				t.Errorf("body lacks %s", want)
			}
			path := strings.SplitN(tt.target, "?", 2)[0]
			other, marker := langRU, "Политика конфиденциальности"
			if tt.want == langRU {
				other, marker = langEN, "Privacy policy"
			}
			// The page's own language shows in its heading or link ...
			if own := map[lang]string{langEN: "Privacy policy", langRU: "Политика конфиденциальности"}[tt.want]; !strings.Contains(body, own) {
				t.Errorf("body lacks %q", own)
			}
			// ... the other language only as a switcher link.
			if strings.Contains(body, marker) {
				t.Errorf("a %s page contains %q", tt.want, marker)
			}
			if link := `href="` + path + `?lang=` + string(other) + `"`; !strings.Contains(body, link) {
				t.Errorf("body lacks a link to switch language: %s", link)
			}
			if self := `href="` + path + `?lang=` + string(tt.want) + `"`; strings.Contains(body, self) {
				t.Errorf("switcher links to the current language: %s", self)
			}
		})
	}
}

// TestPrivacySections asserts one distinctive phrase per required part of
// the policy, in each language.
func TestPrivacySections(t *testing.T) {
	sections := map[lang][]struct{ topic, phrase string }{
		langEN: {
			{"who", "Operator (data controller)"},
			{"identity", "user ID, username, first and last name and language setting"},
			{"account", "phone number, its account ID and its MTProto session"},
			{"session sealed", "encrypted at rest with XChaCha20-Poly1305 and is never readable on disk"},
			{"2FA and codes", "password and your login codes are never stored"},
			{"selected chats", "The groups and channels you chose to watch"},
			{"selected messages only", "Messages from every other chat, your private conversations included, are discarded"},
			{"message fields", "its text, the sender’s ID, username and name, and its date"},
			{"keywords", "Keywords and stop words"},
			{"leads", "Leads and their status"},
			{"replies", "The replies the AI drafted for you"},
			{"business", "Your business description"},
			{"payments", "Stripe customer ID, plan, subscription status, amounts"},
			{"no card data", "goes only to Stripe; we never see or store it"},
			{"ai usage", "tokens and requests per month"},
			{"purpose leads", "finding leads in the chats you picked, alerting you"},
			{"purpose billing", "Billing:"},
			{"purpose abuse", "Preventing abuse"},
			{"basis contract", "The basis is our agreement with you"},
			{"basis consent", "rests on your consent"},
			{"basis legal duty", "legal duty under tax and accounting law"},
			{"basis interest", "legitimate interest"},
			{"telegram", "Telegram</strong> carries every message"},
			{"llm", "OpenAI, or another OpenAI-compatible provider the operator has configured"},
			{"llm scope", "Only when AI features are enabled, the text of lead messages and your business description are sent"},
			{"stripe", "Stripe</strong> processes payments"},
			{"hosting", "The hosting provider</strong> whose virtual machine runs the service"},
			{"file access", "The database file can be read only by the service itself"},
			{"tls", "TLS to Stripe"},
			{"operator access", "only to give you support you asked for or to investigate abuse"},
			{"no selling", "do not sell it"},
			{"no ads", "do not use your data for advertising"},
			{"explicit tap", "Nothing is ever sent from your Telegram account without your explicit tap"},
			{"disconnect", "Disconnecting your account in the bot stops collection at once"},
			{"retention", "kept for 90 days (the bot shows this"},
			{"delete all", "<em>Settings → Delete my data</em> in the bot deletes everything about you at once"},
			{"payments kept", "keep for 7 years. On deletion they are anonymized: unlinked from your Telegram identity"},
			{"backups", "Backups</strong> roll over within 30 days"},
			{"export", "<em>Settings → Export my data</em> in the bot sends you a JSON file"},
			{"correction", "Correction:"},
			{"withdraw", "Withdrawing consent:"},
			{"object", "Objection:"},
			{"complain", "data protection authority"},
			{"cookies", "use no cookies, no analytics and no trackers"},
			{"language stored", "your language preference is stored in our database with your profile"},
			{"age", "not for anyone under 16, or under the age of digital consent"},
			{"telegram age", "Telegram’s own age rules also apply"},
			{"changes", "we announce it in the bot"},
			{"last updated", `Last updated: <time datetime="2026-12-04">4 December 2026</time>`},
		},
		langRU: {
			{"who", "Оператор персональных данных"},
			{"identity", "ваш ID пользователя, имя пользователя (username), имя, фамилию и язык интерфейса"},
			{"account", "номер телефона аккаунта, его ID и MTProto-сессию"},
			{"session sealed", "хранится в зашифрованном виде (XChaCha20-Poly1305) и никогда не лежит на диске в читаемом виде"},
			{"2FA and codes", "Пароль двухэтапной аутентификации (2FA) и коды входа никогда не сохраняются"},
			{"selected chats", "Группы и каналы, за которыми вы решили следить"},
			{"selected messages only", "Сообщения из всех остальных чатов, в том числе ваши личные переписки, отбрасываются"},
			{"message fields", "текст, ID, username и имя отправителя, а также дату"},
			{"keywords", "Ключевые и стоп-слова"},
			{"leads", "Лиды и их статус"},
			{"replies", "Черновики, подготовленные ИИ, ваши правки и отправленные вами ответы"},
			{"business", "Описание вашего бизнеса"},
			{"payments", "ваш ID клиента в Stripe, тариф, статус подписки, суммы"},
			{"no card data", "попадают только к Stripe; мы их не видим и не храним"},
			{"ai usage", "токены и запросы за месяц"},
			{"purpose leads", "искать лиды в выбранных вами чатах, присылать уведомления"},
			{"purpose billing", "Оплата:"},
			{"purpose abuse", "Защита от злоупотреблений"},
			{"basis contract", "Основание — наш договор с вами"},
			{"basis consent", "основаны также на вашем согласии"},
			{"basis legal duty", "обязанность по налоговому и бухгалтерскому законодательству"},
			{"basis interest", "законный интерес"},
			{"telegram", "Telegram</strong> доставляет все сообщения"},
			{"llm", "OpenAI или другой совместимый с OpenAI поставщик, которого настроил оператор"},
			{"llm scope", "Только если функции ИИ включены, ему отправляются тексты сообщений-лидов и описание вашего бизнеса"},
			{"stripe", "Stripe</strong> обрабатывает платежи"},
			{"hosting", "Хостинг-провайдер</strong>, на чьей виртуальной машине работает сервис"},
			{"file access", "Файл базы данных доступен для чтения только самому сервису"},
			{"tls", "TLS — для Stripe"},
			{"operator access", "только чтобы помочь по вашему обращению или разобраться со злоупотреблением"},
			{"no selling", "не продаём их"},
			{"no ads", "не используем ваши данные для рекламы"},
			{"explicit tap", "С вашего аккаунта Telegram ничего не отправляется без вашего явного нажатия"},
			{"disconnect", "Как только вы отключите аккаунт в боте, сбор данных сразу прекращается"},
			{"retention", "хранятся 90 дней (бот показывает это"},
			{"delete all", "<em>«Настройки → Удалить мои данные»</em> в боте сразу удаляет всё"},
			{"payments kept", "обязывает хранить их 7 лет. При удалении они обезличиваются"},
			{"backups", "хранятся не дольше 30 дней"},
			{"export", "<em>«Настройки → Экспорт моих данных»</em> в боте присылает JSON-файл"},
			{"correction", "Исправление:"},
			{"withdraw", "Отзыв согласия:"},
			{"object", "Возражение:"},
			{"complain", "орган по защите персональных данных"},
			{"cookies", "не используют файлы cookie, системы аналитики и трекеры"},
			{"language stored", "выбранный вами язык хранится в нашей базе данных вместе с вашим профилем"},
			{"age", "не предназначен для лиц младше 16 лет или младше возраста цифрового согласия"},
			{"telegram age", "возрастные правила самого Telegram"},
			{"changes", "Об изменениях этой политики мы сообщаем в боте"},
			{"last updated", `Последнее изменение: <time datetime="2026-12-04">4 декабря 2026 г.</time>`},
		},
	}
	s, _ := newTestServer(t, Config{})
	h := s.Handler()
	for l, want := range sections {
		res, body := do(t, h, "GET", "/privacy?lang="+string(l), nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status = %d; want 200", l, res.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(body, w.phrase) {
				t.Errorf("%s page, %s: lacks %q", l, w.topic, w.phrase)
			}
		}
	}
	if len(sections[langEN]) != len(sections[langRU]) {
		t.Errorf("checked %d topics in English but %d in Russian", len(sections[langEN]), len(sections[langRU]))
	}
}

// TestPrivacyOperator checks that configured values appear, escaped, in
// both languages.
func TestPrivacyOperator(t *testing.T) {
	const name = `Evil <script>alert("x")</script> & Co`
	s, _ := newTestServer(t, Config{
		OperatorName: name,
		ContactEmail: "privacy+lgr@example.com",
		BotUsername:  "@LeadGenRunnerBot",
	})
	h := s.Handler()
	for _, l := range langs {
		t.Run(string(l), func(t *testing.T) {
			_, body := do(t, h, "GET", "/privacy?lang="+string(l), nil)
			if strings.Contains(body, "<script") {
				t.Errorf("operator name rendered unescaped")
			}
			for _, want := range []string{
				"<dd>Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</dd>",
				`href="mailto:privacy&#43;lgr@example.com">privacy&#43;lgr@example.com</a>`,
				`<a href="https://t.me/LeadGenRunnerBot" rel="noopener noreferrer">@LeadGenRunnerBot</a>`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %s", want)
				}
			}
			for _, unwanted := range []string{"the operator of this LeadGenRunner instance", "оператор этого экземпляра", "Help menu", "«Помощь»"} {
				if strings.Contains(body, unwanted) {
					t.Errorf("body has the default text %q although the config sets a value", unwanted)
				}
			}
		})
	}
}

func TestPrivacyDefaults(t *testing.T) {
	tests := []struct {
		lang lang
		want []string
	}{
		{langEN, []string{
			"<dd>the operator of this LeadGenRunner instance</dd>",
			"Write to us through the Help menu in the bot.",
		}},
		{langRU, []string{
			"<dd>оператор этого экземпляра LeadGenRunner</dd>",
			"Напишите нам через меню «Помощь» в боте.",
		}},
	}
	s, _ := newTestServer(t, Config{})
	h := s.Handler()
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			_, body := do(t, h, "GET", "/privacy?lang="+string(tt.lang), nil)
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			for _, unwanted := range []string{"mailto:", "t.me/", ">@"} {
				if strings.Contains(body, unwanted) {
					t.Errorf("body contains %q without a configured contact or bot", unwanted)
				}
			}
		})
	}
}

func TestLanding(t *testing.T) {
	s, _ := newTestServer(t, Config{BotUsername: "LeadGenRunnerBot"})
	h := s.Handler()
	for l, link := range map[lang]string{
		langEN: `<a href="/privacy?lang=en">Privacy policy</a>`,
		langRU: `<a href="/privacy?lang=ru">Политика конфиденциальности</a>`,
	} {
		_, body := do(t, h, "GET", "/?lang="+string(l), nil)
		if !strings.Contains(body, link) {
			t.Errorf("%s landing lacks %s", l, link)
		}
		if !strings.Contains(body, "https://t.me/LeadGenRunnerBot") {
			t.Errorf("%s landing lacks the bot link", l)
		}
	}
}

// TestStyleHash proves the CSP admits the page's only inline style, so the
// page renders as designed under the policy.
func TestStyleHash(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, target := range []string{"/", "/privacy?lang=en", "/privacy?lang=ru"} {
		res, body := do(t, s.Handler(), "GET", target, nil)
		styles := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(body, -1)
		if len(styles) != 1 {
			t.Fatalf("%s: got %d <style> elements; want 1", target, len(styles))
		}
		sum := sha256.Sum256([]byte(styles[0][1]))
		want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("%s: Content-Security-Policy = %q; want %q", target, csp, want)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, " style=") {
			t.Errorf("%s: page has scripts or inline style attributes the CSP would block", target)
		}
	}
}

// TestTypography keeps the visible text free of typewriter quotes and of
// hyphens standing in for dashes; Russian uses «», English “”.
func TestTypography(t *testing.T) {
	tags := regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`)
	s, _ := newTestServer(t, Config{OperatorName: "Acme", ContactEmail: "a@example.com"})
	for _, l := range langs {
		_, body := do(t, s.Handler(), "GET", "/privacy?lang="+string(l), nil)
		text := tags.ReplaceAllString(body, " ")
		for _, bad := range []string{`"`, "&#34;", "'", "&#39;", " - ", " -- "} {
			if strings.Contains(text, bad) {
				i := strings.Index(text, bad)
				t.Errorf("%s text contains %q near %q", l, bad, text[max(0, i-40):min(len(text), i+40)])
			}
		}
		if l == langRU && (strings.Contains(text, "“") || !strings.Contains(text, "«")) {
			t.Errorf("ru text should quote with «», not “”")
		}
	}
}

func TestRetentionText(t *testing.T) {
	for _, tt := range []struct {
		n    int
		l    lang
		want string
	}{
		{1, "en", "1 day"}, {30, "en", "30 days"}, {1, "ru", "1 день"}, {21, "ru", "21 день"},
		{3, "ru", "3 дня"}, {11, "ru", "11 дней"}, {90, "ru", "90 дней"}, {14, "ru", "14 дней"},
	} {
		if got := retentionText(tt.n, tt.l); got != tt.want {
			t.Errorf("retentionText(%d, %s) = %q; want %q", tt.n, tt.l, got, tt.want)
		}
	}
}
