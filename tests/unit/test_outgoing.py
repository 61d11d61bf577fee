from urllib.parse import unquote

from app.core.outgoing import FORWARD_HEADER, html_message, mailto_url, plain_message


def test_first_touch_plain_and_html_drop_markers_and_escape():
    body = "Congrats on Reno [^3].\n\nIs <script> a priority & why?"
    assert plain_message(body) == "Congrats on Reno.\n\nIs <script> a priority & why?"
    out = html_message(body)
    assert "<script>" not in out and "&lt;script&gt; a priority &amp; why?" in out and "[^3]" not in out


def test_follow_up_forwards_the_original_quoted():
    text = plain_message("What would be a good next step? [^4]", "Hi Dana,\n\nCongrats on Reno.", "2026-11-20",
                         "Reno check-ins")
    assert text.startswith("What would be a good next step?\n\n" + FORWARD_HEADER)
    assert "Subject: Reno check-ins" in text and "> Hi Dana,\n>\n> Congrats on Reno." in text
    html = html_message("What next? [^4]", "Hi Dana,\n\nCongrats.", "2026-11-20", "Reno")
    assert "<blockquote" in html and "<p>Hi Dana,</p><p>Congrats.</p>" in html


def test_mailto_encodes_subject_and_body_with_crlf():
    url = mailto_url("", "Reno & more", "Line one\nLine two?")
    assert url.startswith("mailto:?subject=Reno%20%26%20more&body=")
    assert unquote(url.split("body=")[1]) == "Line one\r\nLine two?"
