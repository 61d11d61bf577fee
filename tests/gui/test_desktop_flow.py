"""Issue 5's end-to-end flows through the real window: research, cite, copy, follow up, reply, disqualify."""
import json
import sqlite3
from datetime import date, timedelta

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from app.services.research_service import ResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.fixtures.company_site import endpoints
from tests.gui.test_checklist_live import line_for
from tests.helpers.window import UrlCatcher, find, save_dialog, store_change


def visible_dialog(qtbot, window):
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    return next(d for d in window.findChildren(QDialog) if d.isVisible())


def test_research_cite_copy_then_follow_up_reply_and_disqualify(qtbot, open_window, earned_home, site):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Northwind Robotics", site.base + "/", "Ana Ruiz", "COO").id
    other = repo.add_prospect("Blue Harbor Foods").id
    store.conn.close()
    research = ResearchService(earned_home / "earned.db",
                               overrides={"crawl_delay": 0.0, "endpoints": endpoints(site)})
    window = open_window(research=research)
    composer = find(window, QPlainTextEdit, "composer")
    window.research.select_prospect(pid)
    qtbot.waitUntil(composer.isEnabled)

    # Research against the 127.0.0.1 site; facts stream in.
    with qtbot.waitSignal(research.finished, timeout=20_000) as done:
        qtbot.mouseClick(find(window, QPushButton, "researchButton"), Qt.MouseButton.LeftButton)
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == len(done.args[1].facts), timeout=5000)
    texts = [facts.item(i).text() for i in range(facts.count())]
    tacoma = next(i for i, t in enumerate(texts) if "second factory in Tacoma" in t)
    assert "SITE" in texts[tacoma] and "fresh" not in texts[tacoma]  # undated home page: no age badge

    # Cite one; the checklist goes green; copy puts both formats on the clipboard.
    find(window, QLineEdit, "subjectEdit").setText("Tacoma output")
    qtbot.keyClicks(composer, "Doubling output to 1,200 forklifts a year at the second factory in Tacoma")
    facts.setCurrentRow(tacoma)
    qtbot.mouseClick(find(window, QPushButton, "citeButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(composer, " means more service calls for your team across 14 countries. How are you staffing "
                              "the field service side of that?")
    assert all(not line.startswith("✘") for line in window.composer.checklist.lines()), \
        window.composer.checklist.lines()
    with qtbot.waitSignal(window.session.touches_changed, timeout=5000):
        qtbot.mouseClick(find(window, QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    clip = QGuiApplication.clipboard().mimeData()
    assert clip.text().startswith("Doubling output to 1,200 forklifts a year at the second factory in Tacoma means")
    assert "[^" not in clip.text() and clip.hasHtml() and "<p>Doubling output" in clip.html()
    db = sqlite3.connect(earned_home / "earned.db")
    kind, due, cited = db.execute("SELECT kind, follow_up_due, cited_fact_ids FROM touches").fetchone()
    assert kind == "first-touch" and due > date.today().isoformat() and json.loads(cited)
    assert "contacted" in window.research.prospects.currentItem().text()
    assert "Tacoma output" in find(window, QListWidget, "touchHistory").item(0).text()

    # Follow-up: the original below, a new fact suggested, the short-follow-up rules live.
    window.composer.kind.setCurrentIndex(window.composer.kind.findData("follow-up"))
    forwarded = find(window, QPlainTextEdit, "forwardedOriginal")
    assert forwarded.isVisible() and forwarded.isReadOnly()
    assert forwarded.toPlainText() == clip.text()
    qtbot.keyClicks(composer, "Hi Ana, ")
    assert line_for(window, "follow-up-short").startswith("✘")
    composer.clear()
    suggested = find(window, QListWidget, "suggestedFacts")
    first_cited = set(window.session.cited_before)
    assert suggested.count() > 0
    assert all(suggested.item(i).data(Qt.ItemDataRole.UserRole) not in first_cited for i in range(suggested.count()))
    item = suggested.item(0)
    new_fact = window.session.facts[item.data(Qt.ItemDataRole.UserRole)]
    qtbot.keyClicks(composer, "New since my note: " + " ".join(new_fact.text.split()[:8]).rstrip(".,") + " ")
    qtbot.mouseClick(suggested.viewport(), Qt.MouseButton.LeftButton, pos=suggested.visualItemRect(item).center())
    assert f"[^{new_fact.id}]" in composer.toPlainText()
    composer.moveCursor(composer.textCursor().MoveOperation.End)
    qtbot.keyClicks(composer, ". ")
    find(window, QAction, "quickQuestion0").trigger()  # the first of "Insert a question"
    assert composer.toPlainText().endswith("What would be a good next step?")
    assert line_for(window, "follow-up-short").startswith("✔") and line_for(window, "not-a-repeat").startswith("✔")
    with qtbot.waitSignal(window.session.touches_changed, timeout=5000):
        qtbot.mouseClick(find(window, QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    clip = QGuiApplication.clipboard().mimeData()
    assert clip.text().startswith("New since my note: ")
    assert "---------- Forwarded message ---------" in clip.text() and "> Doubling output" in clip.text()
    assert "<blockquote" in clip.html()
    assert db.execute("SELECT count(*) FROM touches WHERE kind = 'follow-up'").fetchone()[0] == 1
    assert find(window, QListWidget, "touchHistory").count() == 2

    # Mark replied stops the follow-ups.
    with store_change(qtbot, window, "prospects"):
        qtbot.mouseClick(find(window, QPushButton, "markRepliedButton"), Qt.MouseButton.LeftButton)
    assert "(replied)" in window.research.prospects.currentItem().text()
    assert db.execute("SELECT status FROM prospects WHERE id = ?", (pid,)).fetchone()[0] == "replied"

    # Disqualify another prospect, with a reason.
    window.research.select_prospect(other)
    qtbot.waitUntil(lambda: window.research.current_prospect_id() == other)
    qtbot.mouseClick(find(window, QPushButton, "disqualifyButton"), Qt.MouseButton.LeftButton)
    dialog = visible_dialog(qtbot, window)
    save_dialog(qtbot, dialog)
    assert dialog.isVisible() and "Say why" in dialog.findChild(QLabel, "dialogError").text()
    dialog.findChild(QLineEdit, "disqualifyReasonEdit").setText("No budget until 2027")
    with store_change(qtbot, window, "prospects"):
        save_dialog(qtbot, dialog)
    row = db.execute("SELECT status, status_reason FROM prospects WHERE id = ?", (other,)).fetchone()
    assert row == ("disqualified", "No budget until 2027")


def test_due_follow_ups_stand_out_at_the_top_and_search_filters(qtbot, open_window, earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    for name in ("Alpha Co", "Beta Co", "Zeta Freight"):
        repo.add_prospect(name)
    zeta = repo.list_prospects()[-1]
    from datetime import datetime

    repo.record_touch(zeta.id, "first-touch", "Hi", "text", [], sent_at=datetime.now().astimezone() - timedelta(days=9))
    store.conn.close()
    window = open_window()
    prospects = find(window, QListWidget, "prospectList")
    assert "Zeta Freight" in prospects.item(0).text() and "follow-up due" in prospects.item(0).text()
    assert prospects.item(0).font().bold()
    assert find(window, QLabel, "dueSummaryLabel").text() == "1 follow-up due"
    qtbot.keyClicks(find(window, QLineEdit, "prospectSearch"), "beta")
    shown = [prospects.item(i).text() for i in range(prospects.count()) if not prospects.item(i).isHidden()]
    assert len(shown) == 1 and shown[0].startswith("Beta Co")


def test_fact_actions_pin_edit_discard_undo_open_and_copy_link(qtbot, open_window, earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Acme").id
    old, _ = repo.add_fact(pid, "news", "Acme opened a plant in Austin.", "https://news.example/a", "Gazette",
                           (date.today() - timedelta(days=200)).isoformat())
    repo.add_note(pid, "Sam prefers short emails.")
    store.conn.close()
    window = open_window()
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 2)
    row = next(i for i in range(2) if facts.item(i).data(Qt.ItemDataRole.UserRole) == old.id)
    assert "stale" in facts.item(row).text() and "Gazette" in facts.item(row).text()
    facts.setCurrentRow(row)
    with store_change(qtbot, window, "facts"):
        qtbot.mouseClick(find(window, QPushButton, "pinFactButton"), Qt.MouseButton.LeftButton)
    assert "pinned" in facts.item(row).text()

    with UrlCatcher("https") as browser:
        qtbot.mouseClick(find(window, QPushButton, "openSourceButton"), Qt.MouseButton.LeftButton)
    assert [u.toString() for u in browser.urls] == ["https://news.example/a"]
    qtbot.mouseClick(find(window, QPushButton, "copyLinkButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "https://news.example/a"

    qtbot.mouseClick(find(window, QPushButton, "editFactButton"), Qt.MouseButton.LeftButton)
    dialog = visible_dialog(qtbot, window)
    dialog.findChild(QPlainTextEdit, "factTextEdit").setPlainText("Acme opened a 200-job plant in Austin.")
    with store_change(qtbot, window, "facts"):
        save_dialog(qtbot, dialog)
    assert "200-job plant" in facts.item(facts.currentRow()).text()

    with store_change(qtbot, window, "facts"):
        qtbot.mouseClick(find(window, QPushButton, "discardFactButton"), Qt.MouseButton.LeftButton)
    assert facts.count() == 1
    undo = find(window, QPushButton, "undoDiscardButton")
    assert undo.isVisible()
    with store_change(qtbot, window, "facts"):
        qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert facts.count() == 2


def test_fact_search_highlights_matches_across_prospects(qtbot, open_window, earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    a, b = repo.add_prospect("Acme").id, repo.add_prospect("Bolt").id
    repo.add_note(a, "Acme is hiring forklift drivers in Austin.")
    repo.add_note(b, "Bolt opened an Austin warehouse.")
    repo.add_note(b, "Bolt's CFO likes spreadsheets.")
    store.conn.close()
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = find(window, QLineEdit, "factSearch")
    assert search.hasFocus()
    facts = find(window, QListWidget, "factList")
    with qtbot.waitSignal(window.session.search_changed, timeout=5000):
        qtbot.keyClicks(search, "austin")
    qtbot.waitUntil(lambda: facts.count() == 2)
    from app.ui.fact_cards import META_ROLE

    for i in range(2):
        meta = facts.item(i).data(META_ROLE)
        text = facts.item(i).data(Qt.ItemDataRole.UserRole + 1).text
        assert [text[s:e] for s, e in meta["matches"]] == ["Austin"] and meta["prospect"] in ("Acme", "Bolt")
    search.clear()
    qtbot.waitUntil(lambda: facts.count() == 1)


def test_scraped_html_is_never_rendered_or_fetched(qtbot, open_window, earned_home, site):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Acme").id
    planted = (f'<img src="{site.base}/tracker.png"> <a href="javascript:alert(1)">click</a> '
               f'<iframe src="{site.base}/frame"></iframe> Acme opened a plant.')
    repo.add_fact(pid, "site", planted, site.base + "/page", "<b>Bold title</b>")
    store.conn.close()
    window = open_window()
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 1)
    facts.setCurrentRow(0)
    window.grab()  # paint the cards, tooltips and all
    qtbot.mouseClick(find(window, QPushButton, "citeButton"), Qt.MouseButton.LeftButton)
    window.composer.body.setToolTip("")
    assert "<img src=" in facts.item(0).text()  # shown literally, as text
    assert "&lt;img" in facts.tooltip_for(facts.item(0).data(Qt.ItemDataRole.UserRole + 1))
    assert site.hits("/tracker.png") == 0 and site.hits("/frame") == 0
    with UrlCatcher("javascript") as js, UrlCatcher("http") as browser:
        window.prospect_actions.fact_action("open", facts.item(0).data(Qt.ItemDataRole.UserRole))
    assert js.urls == [] and [u.toString() for u in browser.urls] == [site.base + "/page"]


def test_open_in_mail_app_builds_a_mailto_and_logs_the_touch(qtbot, open_window, earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Acme").id
    fid = repo.add_note(pid, "Acme opened a plant in Austin with 200 jobs.").id
    store.conn.close()
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and bool(window.session.facts))
    find(window, QLineEdit, "subjectEdit").setText("Austin hiring")
    composer.setPlainText(f"Congrats on the Austin plant and its 200 jobs [^{fid}]. How is hiring going?")
    with UrlCatcher("mailto") as mail, store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(window, QPushButton, "mailtoButton"), Qt.MouseButton.LeftButton)
    [url] = mail.urls
    assert url.scheme() == "mailto" and "subject=Austin%20hiring" in url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    assert "[^" not in url.toString()


def test_help_lists_shortcuts_and_every_control_has_an_accessible_name(qtbot, open_window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QTextEdit

    window = open_window()
    window.findChild(type(window.menuBar().actions()[0]), "shortcutsAction").trigger()
    dialog = visible_dialog(qtbot, window)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for keys in ("Ctrl+Enter", "Ctrl+Shift+C", "Ctrl+F", "Ctrl+R", "Ctrl+N"):
        assert keys in text
    dialog.close()
    nameless = []
    for cls in (QAbstractButton, QLineEdit, QAbstractItemView, QComboBox, QPlainTextEdit, QTextEdit):
        for w in window.findChildren(cls):
            ours = w.objectName() and not w.objectName().startswith("qt_")  # Qt's own parts aside
            if ours and not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text())):
                nameless.append(w.objectName())
    assert not nameless, f"controls without an accessible name: {nameless}"


def test_settings_store_api_keys_masked_and_the_follow_up_interval(qtbot, open_window, earned_home):
    from PySide6.QtWidgets import QSpinBox

    from app.secrets import SecretStore
    from app.services.secrets_service import SecretsService
    from tests.unit.test_secrets import MemoryKeyring

    backend = MemoryKeyring()
    window = open_window(secrets=SecretsService(SecretStore(backend)))
    window.findChild(type(window.menuBar().actions()[0]), "settingsAction").trigger()
    dialog = visible_dialog(qtbot, window)
    status = dialog.findChild(QLabel, "keyStatus-newsapi")
    qtbot.waitUntil(lambda: status.text() == "Not set")
    edit = dialog.findChild(QLineEdit, "key-newsapi")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    edit.setText("na-1234567890abcd")
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveKey-newsapi"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.text().endswith("abcd"), timeout=5000)  # read back from the keychain
    assert "1234567890" not in status.text()
    assert backend.items[("earned", "newsapi")] == "na-1234567890abcd"
    assert dialog.findChild(QLabel, "dataFolderLabel").text() == str(earned_home)
    dialog.findChild(QSpinBox, "followUpDays").setValue(5)
    with store_change(qtbot, window, "settings"):
        qtbot.mouseClick(dialog.findChild(QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    files = b"".join(p.read_bytes() for p in earned_home.iterdir() if p.is_file())
    assert b"na-1234567890abcd" not in files
    assert sqlite3.connect(earned_home / "earned.db").execute(
        "SELECT value FROM settings WHERE key = 'follow_up_days'").fetchone()[0] == "5"


def test_dropping_a_url_researches_just_that_page(qtbot, open_window, earned_home, site):
    store = open_store(earned_home / "earned.db")
    WorkspaceRepo(store.conn).add_prospect("Northwind Robotics", "")
    store.conn.close()
    research = ResearchService(earned_home / "earned.db", overrides={"crawl_delay": 0.0,
                                                                      "endpoints": endpoints(site)})
    window = open_window(research=research)
    qtbot.waitUntil(lambda: window.research.research.isEnabled())
    data = QMimeData()
    data.setUrls([QUrl(site.base + "/careers")])
    with qtbot.waitSignal(research.finished, timeout=10_000) as done:
        window.research.url_dropped.emit(site.base + "/careers")
    assert [p["url"] for p in done.args[1].pages] == [site.base + "/careers"]
    assert site.hits("/") == 0 and site.hits("/gdelt") == 0
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() >= 1)
    assert any("field service technicians" in facts.item(i).text() for i in range(facts.count()))


def test_import_preview_export_backup_and_restore_from_the_window(qtbot, open_window, earned_home, tmp_path):
    from PySide6.QtWidgets import QTableWidget

    window = open_window()
    csv_file = tmp_path / "leads.csv"
    csv_file.write_text("Company;Website;Contact\nAcme;acme.example;Sam\nBolt;ftp://bolt;Ana\n", encoding="utf-8")
    window.data_actions.import_csv(str(csv_file))
    dialog = visible_dialog(qtbot, window)
    assert dialog.findChild(QTableWidget, "importPreviewTable").rowCount() == 1
    assert "line 3" in dialog.findChild(QListWidget, "importErrors").item(0).text()
    qtbot.mouseClick(dialog.findChild(QPushButton, "importButton"), Qt.MouseButton.LeftButton)
    prospects = find(window, QListWidget, "prospectList")
    qtbot.waitUntil(lambda: prospects.count() == 1, timeout=5000)
    assert prospects.item(0).text().startswith("Acme")

    md = tmp_path / "out.md"
    with qtbot.waitCallback() as exported:
        window.data_actions.export(None, "md", str(md)).success(exported)
    assert md.read_text().startswith("# Acme")
    backup = tmp_path / "backup.db"
    with qtbot.waitCallback() as backed_up:
        window.service.backup(str(backup)).success(backed_up)
    with store_change(qtbot, window, "prospects"):
        window.service.add_prospect("Later Co")
    qtbot.waitUntil(lambda: prospects.count() == 2)
    window.data_actions.restore(str(backup))
    qtbot.waitUntil(lambda: prospects.count() == 1 and "kept as" in window.banner.text(), timeout=5000)


def test_geometry_and_splitter_persist_and_shortcuts_work(qtbot, open_window, earned_home):
    from PySide6.QtWidgets import QSplitter

    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Acme").id
    fid = repo.add_note(pid, "Acme opened a plant in Austin.").id
    store.conn.close()
    window = open_window()
    window.resize(761, 707)  # inside the offscreen screen (800x800): restoreGeometry keeps windows on screen
    splitter = window.findChild(QSplitter, "mainSplitter")
    splitter.setSizes([500, 255])  # far from the default 2:3
    sizes = splitter.sizes()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and window.research.facts.count() == 1)
    window.research.facts.setCurrentRow(0)
    composer.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert f"[^{fid}]" in composer.toPlainText()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = visible_dialog(qtbot, window)
    assert dialog.objectName() == "newProspectDialog"
    dialog.reject()
    window.close()
    again = open_window()
    # The offscreen screen is 800 px wide and the window's minimum is about that: the height tells.
    assert again.height() == 707
    restored = again.findChild(QSplitter, "mainSplitter").sizes()
    assert abs(restored[0] / sum(restored) - sizes[0] / sum(sizes)) < 0.03, (restored, sizes)
