"""The lint codes and what each catches (the README's "Lint codes" table says more)."""

from __future__ import annotations

CODES: dict[str, str] = {
    "W301": "'all/none of the above' or a combination option ('A and C')",
    "W302": "the correct option is clearly the longest",
    "W303": "absolute words in some options and not others",
    "W304": "vague frequency words in options",
    "W305": "options of different kinds (numbers among words)",
    "W306": "numeric options shuffled instead of sorted",
    "W307": "an a/an or singular/plural cue in the stem that only the answer fits",
    "W310": "a negative stem word not in bold",
    "W311": "an mcq/multi stem that is not a question",
    "W312": "distinctive stem words repeated in the answer and in no distractor",
    "W313": "the answer's text inside the stem",
    "W320": "a cloze deletion longer than five words",
    "W321": "more than three deletions in one cloze",
    "W322": "a basic answer longer than 25 words",
    "W323": "a basic answer listing three or more items",
    "W330": "a number in the answer or explanation that no quote gives",
    "W331": "a hedged quote turned into a certainty",
    "W332": "no explanation",
    "W340": "a near-duplicate of another question",
    "W341": "a quote another question cites, in a different family or in none",
    "W350": "an allow without a reason",
    "W351": "an allow for a code that does not fire",
}
ABOUT_ALLOWS = ("W350", "W351")  # an allow cannot silence these
