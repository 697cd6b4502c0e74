"""The synthetic corpus's vocabulary (benches/gen_corpus.py): English and Ukrainian word lists,
section names, interface strings, and the inflections of nouns, adjectives and verbs."""


EN_NOUNS = """assessment screening child parent caregiver clinician referral symptom risk
protocol questionnaire guideline standard record consent outcome service facility community
school nurse physician psychologist interview score threshold domain item response scale
instrument evidence recommendation practice care treatment support violence trauma stress
anxiety depression development nutrition growth vaccination hearing vision speech behaviour
wellbeing safety privacy data report review audit training supervision team coordinator
region district hospital clinic visit appointment family household adolescent infant
pregnancy mother disability inclusion language translation version form section page field
answer question result decision pathway level category indicator monitoring quality
checklist procedure step sign condition diagnosis history examination observation
documentation confidentiality emergency crisis safeguarding case management plan goal
intervention session group worker volunteer partner organisation ministry policy regulation
requirement criterion method tool resource material module lesson competency skill knowledge
attitude barrier access equity cost period week month year age gender population sample
study trial validity reliability sensitivity specificity cutoff follow-up feedback
workload caseload registry database archive template printout signature witness guardian
teacher pharmacist midwife therapist counsellor paediatrician specialist laboratory
specimen dose medication allergy injury accident fall seizure fever cough rash sleep
appetite weight height milestone reading writing play attention memory mood grief loss""".split()

EN_VERBS = """assess screen refer record document review ensure provide complete administer
interpret discuss explain obtain identify monitor support follow apply adapt translate
validate report share store protect consider include exclude check measure calculate compare
repeat contact inform agree schedule train supervise update archive print sign verify
escalate prioritise coordinate summarise observe ask answer reassess register""".split()

EN_ADJS = """clinical standardised brief structured confidential mandatory optional appropriate
relevant local national international primary secondary early timely positive negative high
moderate low significant accurate reliable valid cultural linguistic psychosocial
developmental mental physical emotional social digital printed offline online qualified
trained responsible safe sensitive specific additional initial final annual routine urgent
bilingual validated revised current previous minimal complete partial written verbal""".split()

EN_FUNC_DET = "the a each every this that any the the the".split()
EN_PREPS = "of in for with on by at from within during after before about under".split()
EN_MODALS = "should must may can will".split()
EN_CONJ = ["When", "If", "Before", "After", "Although", "Where", "Once", "Unless"]
EN_ADVS = "carefully promptly always usually only also then again separately jointly".split()

UK_NOUNS = """оцінка скринінг дитина батько опікун лікар направлення симптом ризик протокол
анкета настанова стандарт запис згода наслідок послуга заклад громада школа медсестра
психолог співбесіда бал поріг домен пункт відповідь шкала інструмент доказ рекомендація
практика допомога лікування підтримка насильство травма стрес тривога депресія розвиток
харчування ріст щеплення слух зір мовлення поведінка благополуччя безпека приватність
звіт перегляд аудит навчання супервізія команда координатор область район лікарня
амбулаторія візит прийом сім'я домогосподарство підліток немовля вагітність мати
інвалідність інклюзія мова переклад версія форма розділ сторінка поле питання результат
рішення маршрут рівень категорія індикатор моніторинг якість перелік процедура крок ознака
стан діагноз анамнез обстеження спостереження документація конфіденційність
надзвичайність криза захист випадок управління план мета втручання сесія група працівник
волонтер партнер організація міністерство політика вимога критерій метод ресурс матеріал
модуль урок компетентність навичка знання ставлення бар'єр доступ рівність вартість
період тиждень місяць рік вік стать населення вибірка дослідження валідність надійність
чутливість специфічність учитель фармацевт акушерка терапевт консультант педіатр
спеціаліст лабораторія зразок доза алергія травмування падіння судома гарячка кашель
висип сон апетит вага зріст навчальність читання письмо гра увага пам'ять настрій горе
втрата реєстр база архів шаблон підпис свідок опіка громадськість""".split()

UK_ADJS = """клінічний стандартизований короткий структурований конфіденційний обов'язковий
додатковий відповідний місцевий національний міжнародний первинний вторинний ранній
своєчасний позитивний негативний високий помірний низький значущий точний надійний
валідний культурний мовний психосоціальний психічний фізичний емоційний соціальний
цифровий друкований автономний кваліфікований навчений відповідальний безпечний чутливий
специфічний початковий остаточний щорічний плановий терміновий двомовний перевірений
оновлений чинний попередній мінімальний повний частковий письмовий усний дитячий
сімейний шкільний медичний""".split()

UK_VERBS = """оцінює оцінюють проводить проводять направляє направляють записує записують
документує переглядає забезпечує надає заповнює заповнюють тлумачить обговорює пояснює
отримує визначає відстежує підтримує застосовує адаптує перекладає перевіряє повідомляє
передає зберігає захищає враховує включає виключає вимірює обчислює порівнює повторює
інформує погоджує планує навчає друкує підписує координує спостерігає уточнює реєструє
оцінювати проводити направляти записувати документувати переглядати забезпечувати
надавати заповнювати перевіряти повідомляти зберігати захищати враховувати
застосовувати""".split()

UK_FUNC_DET = "кожен цей той будь-який усі відповідний".split()
UK_PREPS = "для з у в на під після до під_час щодо від без через між".split()
UK_MODALS = "слід потрібно необхідно варто можна".split()
UK_CONJ = ["Коли", "Якщо", "Перед тим як", "Після того як", "Хоча", "Де", "Щойно", "Доки"]
UK_ADVS = "уважно негайно завжди зазвичай лише також потім повторно окремо спільно".split()

UK_NOUN_ENDINGS = {
    "ння": ["ння", "нню", "нням", "ннях", "нь"],
    "а": ["а", "и", "і", "у", "ою", "ам", "ами", "ах"],
    "я": ["я", "ї", "ю", "єю", "ям", "ями", "ях", "і"],
    "о": ["о", "а", "у", "ом", "і", "ам", "ами"],
    "ь": ["ь", "і", "ю", "ем", "ів", "ям"],
    "й": ["й", "я", "ю", "єм", "ї", "їв"],
    "": ["", "а", "у", "ом", "і", "ів", "ам", "ами", "ах", "ові"],
}
UK_ADJ_ENDINGS = ["ий", "а", "е", "і", "ого", "ої", "ому", "ими", "их", "ій", "у"]

EN_SECTIONS = [
    ("screening", "Screening", "Скринінг"),
    ("programme-standards", "Standards", "Стандарти"),
    ("mental-health", "Mental health", "Психічне здоров'я"),
    ("child-development", "Child development", "Розвиток дитини"),
    ("primary-care", "Primary care", "Первинна допомога"),
    ("safeguarding", "Safeguarding", "Захист дітей"),
    ("data-protection", "Data protection", "Захист даних"),
    ("training", "Training", "Навчання"),
    ("form-guides", "Forms and questionnaires", "Форми та анкети"),
    ("resources", "Resources", "Ресурси"),
]
SUBSECTIONS = [
    ("overview", "Overview", "Огляд"),
    ("assessment", "Assessment", "Оцінювання"),
    ("referral", "Referral", "Направлення"),
    ("documentation", "Documentation", "Документація"),
    ("follow-up", "Follow-up", "Подальший супровід"),
    ("quality", "Quality", "Якість"),
    ("tools", "Tools", "Інструменти"),
    ("case-studies", "Case studies", "Розбори випадків"),
    ("procedures", "Procedures", "Процедури"),
    ("roles", "Roles", "Ролі"),
    ("indicators", "Indicators", "Індикатори"),
    ("faq", "Questions and answers", "Запитання та відповіді"),
]
N_SECTIONS = 10
N_SUBSECTIONS = 5

STANDARD_PREFIXES = ["ISO", "WHO", "NICE", "DSTU", "MOZ-UA", "UNICEF", "IEC", "EN", "CDC", "AAP"]

UI = {
    "en": {"item": "Item", "criterion": "Criterion", "score": "Score", "action": "Action",
           "responsible": "Responsible", "timing": "Timing", "note": "Note",
           "standards": "Standards", "see": "See also", "home": "Knowledge portal",
           "home_desc": "Guidance, standards and screening forms.",
           "sec_desc": "Guidance pages on {t}."},
    "uk": {"item": "Пункт", "criterion": "Критерій", "score": "Бал", "action": "Дія",
           "responsible": "Відповідальний", "timing": "Строк", "note": "Примітка",
           "standards": "Стандарти", "see": "Див. також", "home": "Портал знань",
           "home_desc": "Настанови, стандарти та скринінгові форми.",
           "sec_desc": "Сторінки настанов: {t}."},
}


def uk_noun_forms(word):
    for suffix in ("ння", "а", "я", "о", "ь", "й"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            return [stem + e for e in UK_NOUN_ENDINGS[suffix]]
    return [word + e for e in UK_NOUN_ENDINGS[""]]


def uk_adj_forms(word):
    stem = word[:-2] if word.endswith(("ий", "ій")) else word
    return [stem + e for e in UK_ADJ_ENDINGS]


def en_noun_forms(word):
    plural = word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else (
        word + "es" if word.endswith(("s", "x", "ch", "sh")) else word + "s")
    return [word, plural]


def en_verb_forms(word):
    base = word[:-1] if word.endswith("e") else word
    return [word, word + ("s" if not word.endswith(("s", "sh", "ch")) else "es"),
            base + "ed", base + "ing"]
