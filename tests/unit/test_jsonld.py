"""JSON-LD as pages really ship it: wrapped, escaped, commented, concatenated and broken."""
import random

import pytest

from app.research.jsonld import jsonld_types, parse_jsonld

ORG = '{"@context": "https://schema.org", "@type": "Organization", "name": "Acme Pumps"}'


def names(objects):
    return [o.get("name") for o in objects]


def test_strict_json_parses_as_is():
    assert parse_jsonld([ORG]) == [{"@context": "https://schema.org", "@type": "Organization", "name": "Acme Pumps"}]


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(f"/*<![CDATA[*/ {ORG} /*]]>*/", id="js-commented-cdata"),
        pytest.param(f"//<![CDATA[\n{ORG}\n//]]>", id="line-commented-cdata"),
        pytest.param(f"\n  <![CDATA[\n  {ORG}\n  ]]>\n", id="bare-cdata"),
        pytest.param(f"<!-- {ORG} -->", id="html-comment"),
        pytest.param(ORG.replace('"', "&quot;"), id="html-entities"),
        pytest.param(ORG.replace('"', "&#34;"), id="numeric-entities"),
        pytest.param(
            '{\n  // who we are\n  "@type": "Organization", /* legal name below */\n  "name": "Acme Pumps"\n}',
            id="js-comments",
        ),
        pytest.param('{"@type": "Organization", "name": "Acme Pumps",}', id="trailing-comma-object"),
        pytest.param('{"@type": "Organization", "name": "Acme Pumps", "sameAs": ["a", "b",],}', id="trailing-commas"),
        pytest.param('{"@type": "Organization", "name": "Acme Pumps", // last\n}', id="trailing-comma-then-comment"),
        pytest.param(f"{ORG};", id="trailing-semicolon"),
        pytest.param(f"{ORG}\n</script> <div>leftover markup", id="trailing-junk"),
        pytest.param(f"window.__schema = {ORG}", id="leading-junk"),
        pytest.param("\ufeff" + ORG, id="bom"),
    ],
)
def test_malformed_scripts_are_repaired(script):
    objects = parse_jsonld([script])
    assert names(objects) == ["Acme Pumps"]
    assert jsonld_types(objects[0]) == {"Organization"}


def test_control_characters_inside_strings():
    objects = parse_jsonld(['{"@type": "Organization", "name": "Acme\tPumps", "description": "Pumps.\nValves."}'])
    assert objects[0]["description"] == "Pumps.\nValves."
    assert objects[0]["name"] == "Acme\tPumps"


def test_invalid_escapes_and_stray_quotes():
    objects = parse_jsonld(['{"@type": "Organization", "name": "Acme\\\'s \\d", "slogan": "The "best" pumps"}'])
    assert objects[0]["name"] == "Acme's \\d"
    assert objects[0]["slogan"] == 'The "best" pumps'


def test_comment_markers_inside_strings_are_kept():
    script = '{"@type": "Organization", "url": "https://acme.example/a//b", "x": "/* not a comment */",}'
    objects = parse_jsonld([script])
    assert objects[0]["url"] == "https://acme.example/a//b"
    assert objects[0]["x"] == "/* not a comment */"


def test_several_objects_in_one_script():
    script = (
        '{"@type": "Organization", "name": "One"}\n'
        '{"@type": "WebSite", "name": "Two"},\n'
        '[{"@type": "Person", "name": "Three"}, {"@type": "Person", "name": "Four"}]'
    )
    assert names(parse_jsonld([script])) == ["One", "Two", "Three", "Four"]


def test_a_broken_object_is_skipped_and_the_rest_kept():
    script = (
        '{"@type": "Organization" "name": "Broken", "address": {"@type": "PostalAddress"}}\n'
        '{"@type": "WebSite", "name": "Kept"}'
    )
    assert names(parse_jsonld([script])) == ["Kept"]


def test_a_broken_script_does_not_stop_the_others():
    scripts = ['{"@type": "Organization", "name": ', "not json at all", ORG, "", "   "]
    assert names(parse_jsonld(scripts)) == ["Acme Pumps"]


def test_graph_members_are_flattened_but_nested_entities_are_not():
    script = """{
      "@context": "https://schema.org",
      "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Acme Pumps"},
        {"@type": "WebPage", "name": "About", "mainEntity": {"@type": "Organization", "name": "Nested"}},
        {"@type": "BlogPosting", "headline": "Hi", "author": {"@type": "Person", "name": "Ann"},
         "publisher": {"@type": "Organization", "name": "Acme Pumps"}}
      ]
    }"""
    objects = parse_jsonld([script])
    assert [sorted(jsonld_types(o)) for o in objects] == [["Organization"], ["WebPage"], ["BlogPosting"]]
    assert objects[1]["mainEntity"]["name"] == "Nested"


def test_top_level_list_and_typed_graph_wrapper():
    listed = '[{"@type": "Organization", "name": "A"}, [{"@type": "Person", "name": "B"}], 3, "x"]'
    wrapper = '{"@type": "WebSite", "name": "C", "@graph": {"@type": "Person", "name": "D"}}'
    assert names(parse_jsonld([listed, wrapper])) == ["A", "B", "C", "D"]


def test_entities_inside_values_are_decoded():
    objects = parse_jsonld(['{"@type": "Organization", "name": "Ben &amp; Jerry&#39;s", "n": 3}'])
    assert objects[0] == {"@type": "Organization", "name": "Ben & Jerry's", "n": 3}


@pytest.mark.parametrize(
    "obj, expected",
    [
        ({"@type": "Organization"}, {"Organization"}),
        ({"@type": ["Organization", "LocalBusiness"]}, {"Organization", "LocalBusiness"}),
        ({"@type": "https://schema.org/NewsArticle"}, {"NewsArticle"}),
        ({"@type": "http://schema.org/Corporation"}, {"Corporation"}),
        ({"@type": "schema:BlogPosting"}, {"BlogPosting"}),
        ({"@type": ["http://schema.org/Dentist", 7, None]}, {"Dentist"}),
        ({"name": "no type"}, set()),
        ({"@type": {"odd": "value"}}, set()),
        ("not an object", set()),
        (None, set()),
    ],
)
def test_jsonld_types(obj, expected):
    assert jsonld_types(obj) == expected


def test_never_raises_on_garbage():
    rng = random.Random(1234)
    alphabet = '{}[]",:;/*<>!-&#\\ \n\tabc123@'
    scripts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 300))) for _ in range(300)]
    scripts += ["{" * 5000, "[" * 5000 + "]" * 5000, '"' * 1001, "\x00\x01\x02", "/*", "//", "<![CDATA["]
    result = parse_jsonld(scripts)
    assert all(isinstance(o, dict) for o in result)


def test_deep_nesting_does_not_raise():
    deep = '{"@type": "Thing", "a": ' * 3000 + "1" + "}" * 3000
    assert all(isinstance(o, dict) for o in parse_jsonld([deep]))


def test_empty_input():
    assert parse_jsonld([]) == []
