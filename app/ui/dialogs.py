"""Small dialogs: they validate before closing, so nothing typed is lost to an error."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QLineEdit,
    QPlainTextEdit, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from app.core.errors import InputError
from app.core.text import sanitize
from app.core.validate import NoteInput, ProspectInput, note_input, prospect_input


class _ValidatingDialog(QDialog):
    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setObjectName("dialogError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a11;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("dialogSaveButton")
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.value = None

    def _line(self, label: str, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.rstrip(":*"))
        self.form.addRow(label, edit)
        return edit

    def _validate(self):
        raise NotImplementedError

    def _try_accept(self) -> None:
        try:
            self.value = self._validate()
        except InputError as e:
            self.error_label.setText(str(e))
            self.error_label.show()
            return
        self.accept()


class NewProspectDialog(_ValidatingDialog):
    def __init__(self, parent=None):
        super().__init__(parent, "New prospect")
        self.setObjectName("newProspectDialog")
        self.company = self._line("Company*:", "companyEdit", "Acme Robotics")
        self.website = self._line("Website:", "websiteEdit", "acme-robotics.com")
        self.contact = self._line("Contact:", "contactEdit", "Sam Rivera")
        self.role = self._line("Role:", "roleEdit", "VP Operations")

    def _validate(self) -> ProspectInput:
        return prospect_input(self.company.text(), self.website.text(), self.contact.text(), self.role.text())


class NoteDialog(_ValidatingDialog):
    def __init__(self, company: str, parent=None):
        super().__init__(parent, f"Research note on {company}")
        self.setObjectName("noteDialog")
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteTextEdit")
        self.text.setAccessibleName("Note")
        self.text.setPlaceholderText("What you learned: a call, a post, a referral. One fact per note cites best.")
        self.form.addRow("Note*:", self.text)
        self.source = self._line("Source URL:", "noteSourceEdit", "optional: where you read it")

    def _validate(self) -> NoteInput:
        return note_input(self.text.toPlainText(), self.source.text())


class RuleSettingsDialog(QDialog):
    """Tune the rules' thresholds; each shows its default and the source behind it."""

    def __init__(self, pack, overrides: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("ruleSettingsDialog")
        self.setWindowTitle("Rule thresholds")
        self.pack = pack
        self.value: dict = {}
        self.editors: dict[tuple[str, str], QDoubleSpinBox | QSpinBox] = {}
        content = QWidget()
        layout = QVBoxLayout(content)
        for rule in pack.rules:
            if not rule.params:
                continue
            box = QGroupBox(rule.id)
            form = QFormLayout(box)
            source = QLabel(f"Why: {rule.source}")
            source.setTextFormat(Qt.TextFormat.PlainText)
            source.setWordWrap(True)
            source.setStyleSheet("color: palette(mid);")
            form.addRow(source)
            for name, default in rule.params.items():
                current = overrides.get(rule.id, {}).get(name, default)
                if isinstance(default, float):
                    edit = QDoubleSpinBox()
                    edit.setDecimals(2)
                    edit.setSingleStep(0.05)
                    edit.setRange(0.0, 100.0)
                else:
                    edit = QSpinBox()
                    edit.setRange(0, 10_000)
                edit.setValue(current)
                edit.setObjectName(f"{rule.id}.{name}")
                edit.setAccessibleName(f"{rule.id} {name}")
                edit.setToolTip(rule.param_help.get(name, name))
                label = QLabel(f"{rule.param_help.get(name, name)} (default {default})")
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                form.addRow(label, edit)
                self.editors[(rule.id, name)] = edit
            layout.addWidget(box)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("dialogSaveButton")
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self._restore)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        outer.addWidget(buttons)
        self.resize(620, 560)

    def _restore(self) -> None:
        for (rule_id, name), edit in self.editors.items():
            edit.setValue(self.pack.get(rule_id).params[name])

    def _save(self) -> None:
        overrides: dict = {}
        for (rule_id, name), edit in self.editors.items():
            default = self.pack.get(rule_id).params[name]
            if edit.value() != default:
                overrides.setdefault(rule_id, {})[name] = edit.value()
        self.value = overrides
        self.accept()


RESEARCH_SOURCES = (
    ("site", "The company's own website", ""),
    ("feeds", "The company's news feeds (RSS, Atom, JSON Feed)", ""),
    ("gdelt", "GDELT news search (free, no key)", ""),
    ("newsapi", "NewsAPI.org (needs a key saved in the keychain)", ""),
    ("gnews", "GNews.io (needs a key saved in the keychain)", ""),
    ("google-news", "Google News search",
     "Google News results are for personal, non-commercial use under Google's terms: turn this on only if "
     "that fits how you use Earned."),
)


class ResearchSettingsDialog(QDialog):
    """Which sources research uses, and the contact named in Earned's User-Agent."""

    def __init__(self, sources: dict, contact: str, parent=None):
        super().__init__(parent)
        self.setObjectName("researchSettingsDialog")
        self.setWindowTitle("Research sources")
        self.value: dict = {}
        layout = QVBoxLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for key, label, note in RESEARCH_SOURCES:
            box = QCheckBox(label)
            box.setObjectName(f"source-{key}")
            box.setChecked(bool(sources.get(key)))
            layout.addWidget(box)
            if note:
                terms = QLabel(note)
                terms.setObjectName(f"source-{key}-terms")
                terms.setTextFormat(Qt.TextFormat.PlainText)
                terms.setWordWrap(True)
                terms.setStyleSheet("color: palette(mid); margin-left: 22px;")
                layout.addWidget(terms)
            self.boxes[key] = box
        form = QFormLayout()
        self.contact = QLineEdit(contact)
        self.contact.setObjectName("userAgentContact")
        self.contact.setPlaceholderText("optional: an email address site owners can reach you at")
        self.contact.setAccessibleName("Contact for site owners")
        form.addRow("Contact in User-Agent:", self.contact)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("dialogSaveButton")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save(self) -> None:
        contact, _ = sanitize(self.contact.text())
        self.value = {"research_sources": {k: b.isChecked() for k, b in self.boxes.items()},
                      "user_agent_contact": " ".join(contact.split())[:200]}
        self.accept()
