package monitor

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// A deterministic generator of Telegram-like chat messages in Russian and
// English, and of keyword rules from realistic lead-generation vocabulary.
// Used by the benchmarks and by the differential test against naiveMatcher.

// Everyday chat words, inflected as they occur in messages.
var ruChatter = strings.Fields(`привет всем ребята кто-нибудь знает подскажите пожалуйста спасибо заранее
а и в во на с со по за из от до у о об к для без про через после перед между под над
я мы вы ты он она они это этот эта эти тот там тут здесь сейчас сегодня завтра вчера
уже ещё еще очень просто можно нужно надо хочу хотим хотела могу может могут есть нет
да ну вот как что где когда почему зачем сколько какой какая какие который которая
был была было были будет будут делать сделать делаю сделаю делаем сделали работаю работает
работать работы работу работа время день дня дней неделю неделе месяц месяца год года лет
город города городе москве москва питер питере казани минске район районе метро центре
цена цену цены стоимость стоит недорого дорого бюджет оплата оплату оплачу предоплата
вопрос вопросы вопросу ответ ответьте напишите пишите пишу личку лс личные сообщения
хороший хорошая хорошего хорошо отлично нормально быстро срочно сроки качественно аккуратно
новый новая новые старый старая большой маленький первый второй третий последний
человек люди людей друг друзья соседи соседям дом дома доме квартире подъезде двор
машину машина ремонт ремонта ремонте мастер мастера помощь помочь помогите подскажу
телефон телефона ноутбук компьютер приложение приложения интернет сайт сайта сайты
клиент клиенты клиентов заказ заказы заказа заказчик проект проекта проекты задача задачи
опыт опыта портфолио примеры отзывы отзыв рекомендации рекомендую посоветуйте советую
кофе чай обед ужин выходные субботу воскресенье праздник погода дождь солнце
бизнес бизнеса компания компании магазин магазина товар товары услуги услуга рынок`)

// Lead vocabulary: the words rules are written from, inflected.
var ruLead = strings.Fields(`ищу ищем нужен нужна нужны требуется ищется найти посоветуйте
дизайнер дизайнера дизайнеру дизайнером дизайнеры логотип логотипа логотипы фирменный стиль
брендбук баннер баннеры визитки визиток иконки макет макеты фигма фигме фигмы верстальщик
разработчик разработчика разработчики разработка разработку сайт сайта лендинг лендинга
программист программиста бот бота телеграм ботов интернет-магазин магазина
бухгалтер бухгалтера бухгалтерия бухучет отчетность отчетности декларация декларацию налог
налоги налоговая ип усн ндфл главбух аудит 1с 1С
квартира квартиру квартиры снять сниму сдам аренда аренду однушку двушку студию комнату
ипотека ипотеку риелтор риелтора новостройка новостройке посуточно долгосрочно
smm таргетолог таргет инстаграм инстаграма контент-план рилсы соцсети соцсетей ведение
продвижение продвижения реклама рекламу копирайтер копирайтера тексты статьи
фотограф фотографа видеограф монтаж монтажер репетитор репетитора юрист юриста
вакансия вакансии резюме курс курсы обучение марафон вебинар бесплатно агентство`)

var enChatter = strings.Fields(`hi hello hey everyone guys anyone does know any good thanks please
the a an and or but of to in on at for with from by about after before this that these
is are was were be been will would can could should have has had do does did not
i we you he she they my our your their it its there here now today tomorrow yesterday
just really very quite still already also only some more most much many few
time week weeks month months year days day hour hours morning evening weekend
city town office remote home team teams company startup client clients customer
price budget cost paid pay rate hourly fixed quick fast urgent asap soon deadline
question questions answer help advice recommend recommendation experience portfolio
work working worked job project projects task tasks build building built make made
coffee lunch meetup conference standup sprint review weather rain sunny`)

var enLead = strings.Fields(`looking need needed needs hiring hire hired seeking want
developer developers development website websites landing page pages frontend backend
wordpress shopify woocommerce webflow react app apps web mobile ios android
designer designers design logo logos branding figma ui ux illustrator
freelancer freelancers freelance contractor agency seo marketing ads ppc
copywriter copywriting writer content social media manager smm instagram tiktok
accountant bookkeeper bookkeeping taxes tax audit payroll invoice
apartment rent renting flat studio room mortgage realtor
resume internship intern full-time salary vacancy free giveaway webinar`)

var punct = []string{",", ",", ".", "!", "?", ":", " —", "...", ";", ")", "!!"}
var emoji = []string{"🙏", "😂", "🔥", "👇", "🎉", "✅", "💰", "🏠", "☀️", "🤔", "👍"}

// corpus returns n messages of 10–60 words, about a third English, with
// punctuation, emoji, hashtags, mentions, numbers and the odd URL or
// capitalized word. The same seed gives the same corpus.
func corpus(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	msgs := make([]string, n)
	var sb strings.Builder
	for i := range msgs {
		sb.Reset()
		chatter, lead := ruChatter, ruLead
		if rng.IntN(3) == 0 {
			chatter, lead = enChatter, enLead
		}
		words := 10 + rng.IntN(51)
		for w := range words {
			if w > 0 {
				sb.WriteByte(' ')
			}
			var word string
			switch r := rng.IntN(100); {
			case r < 8:
				word = lead[rng.IntN(len(lead))]
			case r < 10:
				word = "#" + lead[rng.IntN(len(lead))]
			case r < 11:
				word = "@user_" + fmt.Sprint(rng.IntN(1000))
			case r < 14:
				word = fmt.Sprint(rng.IntN(100000))
			case r < 15:
				word = "https://example.com/" + chatter[rng.IntN(len(chatter))]
			default:
				word = chatter[rng.IntN(len(chatter))]
			}
			if w == 0 || rng.IntN(20) == 0 {
				word = capitalize(word)
			}
			sb.WriteString(word)
			if rng.IntN(6) == 0 {
				sb.WriteString(punct[rng.IntN(len(punct))])
			}
			if rng.IntN(25) == 0 {
				sb.WriteString(" " + emoji[rng.IntN(len(emoji))])
			}
		}
		msgs[i] = sb.String()
	}
	return msgs
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[size:]
}

// Rule vocabulary: lemmas and collocations owners actually write.
var ruleWordsRU = strings.Fields(`дизайнер логотип брендбук баннер визитки иконка макет фигма
верстальщик разработчик разработка сайт лендинг программист бот телеграм интернет-магазин
бухгалтер бухгалтерия бухучет отчетность декларация налог главбух аудит квартира снять
сниму сдам аренда однушка двушка студия комната ипотека риелтор новостройка посуточно
smm таргетолог таргет инстаграм контент-план рилсы соцсети ведение продвижение реклама
копирайтер тексты фотограф видеограф монтаж монтажер репетитор юрист вакансия резюме
курс обучение марафон вебинар агентство ремонт мастер`)

var ruleWordsEN = strings.Fields(`developer website landing frontend backend wordpress shopify
woocommerce webflow react app designer logo branding figma freelancer contractor agency seo
marketing copywriter content instagram tiktok accountant bookkeeper taxes payroll apartment
mortgage realtor resume internship salary giveaway webinar`)

var ruleVerbsRU = strings.Fields(`ищу нужен нужна требуется сделать найти`)
var ruleVerbsEN = strings.Fields(`looking need hiring seeking want`)

// genRules returns n distinct keyword rules in every form: single words,
// phrases, quoted exact phrases, prefixes and "+" rules.
func genRules(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0xdeadbeef))
	words := append(append([]string{}, ruleWordsRU...), ruleWordsEN...)
	seen := map[string]bool{}
	var rules []string
	add := func(r string) {
		if !seen[r] {
			seen[r] = true
			rules = append(rules, r)
		}
	}
	pick := func() string { return words[rng.IntN(len(words))] }
	for len(rules) < n {
		switch k := rng.IntN(10); {
		case k < 4:
			add(pick())
		case k < 6:
			add(pick() + " " + pick())
		case k < 7:
			add(`"` + pick() + `"`)
		case k < 8:
			w := []rune(pick())
			if len(w) > 5 {
				w = w[:4+rng.IntN(2)]
			}
			add(string(w) + "*")
		default:
			verb := ruleVerbsRU[rng.IntN(len(ruleVerbsRU))]
			if rng.IntN(3) == 0 {
				verb = ruleVerbsEN[rng.IntN(len(ruleVerbsEN))]
			}
			add(verb + " + " + pick())
		}
	}
	return rules
}

// genStops returns a handful of stop rules, as owners write them.
func genStops() []string {
	return []string{"вакансия", "резюме", `"в штат"`, "курс", "обучение", "giveaway", `"for free"`, "internship", "агентство"}
}
