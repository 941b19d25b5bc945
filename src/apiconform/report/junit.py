"""junit.xml: one test suite per provider, one test case per rule.

Each test case is named by the rule id, its classname is the provider, and its properties are
the rule's level, source and title. A failed rule carries a `<failure>` (an `error` rule an
`<error>`) with the failure message, and the exchanges it rests on (the rule's `evidence` in the
results document) as `<system-out>`; a skipped rule is `<skipped>`, and so is a waived one (with
the waiver in its message). The shape validates against a Jenkins-style JUnit schema
(tests/data/junit.xsd).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from apiconform.report.evidence import rule_evidence
from apiconform.report.results import ResultsDoc, first_line

# characters XML 1.0 does not allow, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_tree(document: ResultsDoc) -> ET.ElementTree[ET.Element[str]]:
    """The JUnit XML of a results document."""
    totals = {"tests": 0, "failures": 0, "errors": 0}
    root = ET.Element("testsuites", name="apiconform")
    seconds = 0.0
    for provider in document["providers"]:
        counts = provider["summary"]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=provider["name"],
            tests=str(len(provider["rules"])),
            failures=str(counts.get("failed", 0)),
            errors=str(counts.get("error", 0)),
            skipped=str(counts.get("skipped", 0) + counts.get("waived", 0)),
            time=f"{provider.get('seconds', 0.0):.3f}",
            timestamp=document["started_at"],
        )
        totals["tests"] += len(provider["rules"])
        totals["failures"] += counts.get("failed", 0)
        totals["errors"] += counts.get("error", 0)
        seconds += provider.get("seconds", 0.0)
        suite_properties = ET.SubElement(suite, "properties")
        for key, value in (
            ("base_url", provider["base_url"]),
            ("profile", document["profile"]),
            ("conformant", str(provider["conformant"]).lower()),
        ):
            ET.SubElement(suite_properties, "property", name=key, value=xml_text(value))
        for rule in provider["rules"]:
            case = ET.SubElement(suite, "testcase", name=rule["id"], classname=provider["name"], time="0")
            properties = ET.SubElement(case, "properties")
            for key, value in (
                ("level", rule["level"]),
                ("source", rule["source"]),
                ("title", rule["title"]),
                ("statements", " ".join(rule.get("statements", []))),
            ):
                ET.SubElement(properties, "property", name=key, value=xml_text(value))
            message, outcome = rule["message"], rule["outcome"]
            if outcome in ("failed", "error"):
                tag = "failure" if outcome == "failed" else "error"
                element = ET.SubElement(case, tag, message=xml_text(first_line(message)), type=rule["level"])
                element.text = xml_text(message)
                evidence = "\n\n".join(exchange.as_text() for exchange in rule_evidence(provider, rule))
                if evidence:
                    ET.SubElement(case, "system-out").text = xml_text(evidence)
            elif outcome in ("skipped", "waived"):
                ET.SubElement(case, "skipped", message=xml_text(first_line(message))).text = (
                    xml_text(message) if outcome == "waived" else None
                )
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", str(totals["errors"]))
    root.set("time", f"{seconds:.3f}")
    tree: ET.ElementTree[ET.Element[str]] = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def junit_xml(document: ResultsDoc) -> str:
    """junit.xml's text (UTF-8, with the XML declaration)."""
    body = ET.tostring(junit_tree(document).getroot(), encoding="unicode")
    return "<?xml version='1.0' encoding='utf-8'?>\n" + body + "\n"
