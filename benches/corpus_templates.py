"""The templates the Zola and Hugo sites of the synthetic corpus use (benches/gen_corpus.py)."""

ZOLA_BASE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
</head>
<body>
<header><a href="{{ config.base_url | safe }}{% if lang != config.default_language %}/{{ lang }}{% endif %}/">{{ config.title }}</a>
{% if SEARCH %}<input id="search" type="search" placeholder="Search">{% endif %}</header>
<main>{% block content %}{% endblock %}</main>
{% if SEARCH %}<script src="{{ get_url(path='elasticlunr.min.js') }}"></script>
<script src="{{ get_url(path='search_index.' ~ lang ~ '.js') }}"></script>{% endif %}
</body>
</html>
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
<p class="description">{{ page.description }}</p>
{% if page.extra.standards %}<ul class="standards">{% for s in page.extra.standards %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{{ page.content | safe }}
{% if page.translations | length > 1 %}<nav class="translations">{% for t in page.translations %}{% if t.lang != lang %}<a href="{{ t.permalink | safe }}" hreflang="{{ t.lang }}">{{ t.lang }}</a>{% endif %}{% endfor %}</nav>{% endif %}
</article>
{% endblock %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock %}
{% block content %}
<h1>{{ section.title }}</h1>
<p class="description">{{ section.description }}</p>
{{ section.content | safe }}
<ul class="subsections">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<ul class="pages">{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> {{ p.description }}</li>{% endfor %}</ul>
{% endblock %}
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }}{{ end }}</title>
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="description">{{ .Description }}</p>
{{ with .Params.standards }}<ul class="standards">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ if .IsTranslated }}<nav class="translations">{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Lang }}</a>{{ end }}</nav>{{ end }}
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="description">{{ .Description }}</p>
{{ .Content }}
<ul class="subsections">{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul class="pages">{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>
{{ end }}
"""

HUGO_INDEX_JSON = """{{- $pages := slice -}}
{{- range .Site.RegularPages -}}
{{- $pages = $pages | append (dict "title" .Title "url" .RelPermalink "description" .Description "body" .Plain) -}}
{{- end -}}
{{- $pages | jsonify -}}
"""
