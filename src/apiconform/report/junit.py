"""junit.xml: one test suite per provider, one test case per rule (name = rule id)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from apiconform.run import ProviderResult


def junit_tree(providers: Sequence[ProviderResult]) -> ET.ElementTree[ET.Element[str]]:
    root = ET.Element("testsuites", name="apiconform")
    for provider in providers:
        counts = provider.summary()
        suite = ET.SubElement(
            root,
            "testsuite",
            name=provider.name,
            tests=str(len(provider.rules)),
            failures=str(counts["failed"]),
            errors=str(counts["error"]),
            skipped=str(counts["skipped"]),
            time=f"{provider.seconds:.3f}",
        )
        for result in provider.rules:
            rule = result.rule
            case = ET.SubElement(
                suite, "testcase", name=rule.id, classname=f"{provider.name}.{rule.area}", time="0"
            )
            properties = ET.SubElement(case, "properties")
            for key, value in (("level", rule.level), ("source", rule.source), ("title", rule.title)):
                ET.SubElement(properties, "property", name=key, value=value)
            first_line = result.message.splitlines()[0] if result.message else ""
            if result.outcome == "failed":
                ET.SubElement(case, "failure", message=first_line, type=rule.level).text = result.message
            elif result.outcome == "error":
                ET.SubElement(case, "error", message=first_line, type=rule.level).text = result.message
            elif result.outcome == "skipped":
                ET.SubElement(case, "skipped", message=first_line)
    tree: ET.ElementTree[ET.Element[str]] = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write_junit(path: Path, providers: Sequence[ProviderResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(providers).write(path, encoding="utf-8", xml_declaration=True)
