#!/usr/bin/env bash
# Generate the synthetic test voicemails used by the test suite.
#
# Output: tests/data/audio/*.flac (16 kHz, mono, 16-bit FLAC), a spoken-text
# table in tests/data/audio/SCRIPTS.md, a copy of good.flac as the app's
# bundled sample resources/samples/example_voicemail.flac, and the practice
# mode's voicemail greeting resources/greeting/greeting.flac (+ greeting.txt).
#
# Requires espeak-ng and sox (apt-get install -y espeak-ng sox).
# Output is deterministic: running the script twice gives byte-identical
# files (sox dithering is disabled with -D, and the noise generator uses
# SoX's fixed default random seed via -R).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "error: $tool not found (apt-get install -y espeak-ng sox)" >&2
        exit 1
    }
done

OUT="tests/data/audio"
SAMPLE="resources/samples/example_voicemail.flac"
mkdir -p "$OUT" "$(dirname "$SAMPLE")"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

VOICE="en-us"
SPEED=160
# Output format; -C 8 is FLAC's highest compression level. (No phone-band
# low-pass: band-limiting to 3.8-7 kHz made tiny.en mishear names and key words.)
FMT=(-r 16000 -c 1 -b 16 -C 8)

# speak NAME TEXT -> $TMP/NAME.wav (espeak-ng native 22.05 kHz)
speak() {
    espeak-ng -v "$VOICE" -s "$SPEED" -w "$TMP/$1.wav" "$2"
}

# to_flac IN.wav OUT.flac: convert to the 16 kHz mono 16-bit test format
to_flac() {
    sox -D "$1" "${FMT[@]}" "$2"
}

dur() { soxi -D "$1"; }

# Markdown table rows, filled in as files are made.
ROWS=()
row() { # row FILE TEXT
    local d
    d="$(printf '%.2f' "$(dur "$OUT/$1")")"
    ROWS+=("| \`$1\` | $d | $2 |")
}

# --- 1. good.flac --------------------------------------------------------
GOOD_TEXT="Hi Dana, this is Sam Rivera from Northwind Finance. \
We work with companies in your industry to help them simplify their financial transactions, \
free up resources, and keep a closer eye on their cash flow. \
I sent you an email this morning with a short overview. \
If I haven't heard from you by Friday, I'll call you again on Monday. \
If the timing isn't right, just let me know and I won't follow up."
speak good "$GOOD_TEXT"
to_flac "$TMP/good.wav" "$OUT/good.flac"
row good.flac "$GOOD_TEXT"

# --- 2. bad.flac ---------------------------------------------------------
# ("truly superior": plain "our superior accounting software" was heard as
# "superhero counting software" by tiny.en.)
BAD_TEXT="Hi, this is Mark Jensen from Apex Ledger. \
Would you like to hear about our truly superior accounting software? \
Our clients love it, and we're proud to offer the best customer service in the industry. \
I'd like a time to tell you more about our system. \
You can call me at 555 312 4477. Thanks."
speak bad "$BAD_TEXT"
to_flac "$TMP/bad.wav" "$OUT/bad.flac"
row bad.flac "$BAD_TEXT"

# --- 3. fillers.flac -----------------------------------------------------
# Fillers: So (opening), um, uh, like, you know, kind of, um, uh, you know, like.
# Non-filler uses: "I would like to" and "so that your team can".
# (Opening "So, um, hello Priya, ..." rather than "So, um, hi Priya, ...": with the
# app's filler initial_prompt, tiny.en skipped the first ~20 s of the "hi" version.)
FILLERS_TEXT="So, um, hello Priya, this is Jordan Lee, from Brightline Payroll. \
Uh, I would like to share, like, a quick idea. \
We, you know, help teams kind of automate their payroll, so that your team can spend more time with their people. \
Um, I sent you an email, uh, this morning. \
I'll, you know, try you again on Thursday. \
If it's, like, not a good time, just let me know and I won't follow up."
speak fillers "$FILLERS_TEXT"
to_flac "$TMP/fillers.wav" "$OUT/fillers.flac"
row fillers.flac "$FILLERS_TEXT"

# --- 4. too_long.flac ----------------------------------------------------
TOO_LONG_TEXT="Hi Jamie, this is Chris Walker from Harbor Point Solutions, I hope your week is going well. \
I know you are busy, so I will try to keep this short, although I do have a lot to cover. \
Our company has been around for about fifteen years now, and we have worked with all kinds of businesses along the way. \
Anyway, the reason I am calling is that we help operations teams cut down the time they spend on manual reporting, \
which frees them up to focus on the work that actually matters to them. \
We also have a few other services, like data cleanup, training workshops, and a support desk that is open around the clock, \
and there is a lot more I could tell you about each of those. \
I was also looking at your website the other day and noticed you opened a new office, \
which got me thinking about how we might be able to help out there as well. \
So, when you get a chance, please call me at 555 312 4477. Again, that's 555 312 4477. \
Thanks so much, and have a great rest of your day."
speak too_long "$TOO_LONG_TEXT"
to_flac "$TMP/too_long.wav" "$OUT/too_long.flac"
row too_long.flac "$TOO_LONG_TEXT"

# --- 5. premature_ask.flac -----------------------------------------------
PREMATURE_TEXT="Hi Chris, this is Alex Morgan with Summit Analytics. \
I'd love to get thirty minutes on your calendar next week so I can give you a demo of our reporting software. \
Could you also tell me what your budget looks like for this quarter, and what your timeline is for making a decision? \
Just let me know which day is best for the meeting. Thanks."
speak premature_ask "$PREMATURE_TEXT"
to_flac "$TMP/premature_ask.wav" "$OUT/premature_ask.flac"
row premature_ask.flac "$PREMATURE_TEXT"

# --- 6. silence.flac: 5 s of digital silence ------------------------------
sox -D -n "${FMT[@]}" "$OUT/silence.flac" trim 0 5
row silence.flac "(none: 5 s of digital silence)"

# --- 7. noise.flac: 5 s of low-level pink noise ---------------------------
# -R makes SoX use its fixed default seed, so the noise is identical each run.
sox -R -D -n "${FMT[@]}" "$OUT/noise.flac" synth 5 pinknoise vol 0.03
row noise.flac "(none: 5 s of low-level pink noise, about -44 dBFS RMS)"

# --- 8. pauses.flac: 2 s dead air, part A, 3 s gap, part B ----------------
LEAD_SIL=2
GAP_SIL=3
PAUSES_A="Hi Taylor, this is Morgan Blake from Clearpath Logistics."
PAUSES_B="We help shipping teams cut their delivery delays. \
I'll send you an email with the details today. Talk soon."
speak pauses_a "$PAUSES_A"
speak pauses_b "$PAUSES_B"
# Pad part A with the leading dead air and the mid-message gap, then append B.
sox -D "$TMP/pauses_a.wav" "$TMP/pauses_a_pad.wav" pad "$LEAD_SIL" "$GAP_SIL"
sox -D "$TMP/pauses_a_pad.wav" "$TMP/pauses_b.wav" "${FMT[@]}" "$OUT/pauses.flac"
A_DUR="$(dur "$TMP/pauses_a.wav")"
GAP_START="$(awk -v l="$LEAD_SIL" -v a="$A_DUR" 'BEGIN{printf "%.2f", l + a}')"
GAP_END="$(awk -v l="$LEAD_SIL" -v a="$A_DUR" -v g="$GAP_SIL" 'BEGIN{printf "%.2f", l + a + g}')"
# Where part A's speech actually ends (espeak-ng appends ~0.35 s of near-silence).
A_SPEECH="$(sox "$TMP/pauses_a.wav" -n reverse silence 1 0.01 -60d reverse stat 2>&1 |
    awk '/^Length/{print $3}')"
AUDIBLE_START="$(awk -v l="$LEAD_SIL" -v a="$A_SPEECH" 'BEGIN{printf "%.2f", l + a}')"
row pauses.flac "[silence 0.00-${LEAD_SIL}.00 s] $PAUSES_A [silence ${GAP_START}-${GAP_END} s] $PAUSES_B"

# --- 9. number_slow.flac / number_rushed.flac: the phone-line check ----------
# One introduction (the usual pace), then the callback number: grouped 3-3-4 and said twice at
# 120 wpm, or run together once at 330 wpm.
NUMBER_INTRO="Hi Dana, this is Sam Rivera from Northwind Finance. We help finance teams close their books two days faster."
NUMBER_SLOW="Please call me back at five five five, three one two, four four seven seven. Again, five five five, three one two, four four seven seven."
NUMBER_RUSHED="Call me at five five five three one two four four seven seven thanks."
speak number_intro "$NUMBER_INTRO"
espeak-ng -v "$VOICE" -s 120 -w "$TMP/number_slow_tail.wav" "$NUMBER_SLOW"
espeak-ng -v "$VOICE" -s 330 -w "$TMP/number_rushed_tail.wav" "$NUMBER_RUSHED"
sox -D "$TMP/number_intro.wav" "$TMP/number_slow_tail.wav" "${FMT[@]}" "$OUT/number_slow.flac"
sox -D "$TMP/number_intro.wav" "$TMP/number_rushed_tail.wav" "${FMT[@]}" "$OUT/number_rushed.flac"
row number_slow.flac "$NUMBER_INTRO [120 wpm:] $NUMBER_SLOW"
row number_rushed.flac "$NUMBER_INTRO [330 wpm:] $NUMBER_RUSHED"

# --- bundled sample --------------------------------------------------------
cp "$OUT/good.flac" "$SAMPLE"

# --- practice greeting (played before the beep) -----------------------------
GREETING="resources/greeting/greeting.flac"
GREETING_TEXT="Hi, you've reached Dana Cole at Northwind Logistics. \
I can't take your call right now, so please leave a message after the tone."
speak greeting "$GREETING_TEXT"
to_flac "$TMP/greeting.wav" "$GREETING"
printf '%s\n' "$GREETING_TEXT" >"${GREETING%.flac}.txt"

# --- SCRIPTS.md -------------------------------------------------------------
{
    echo "# Test audio scripts"
    echo
    echo "Generated by \`scripts/make_test_audio.sh\` (espeak-ng voice \`$VOICE\`, $SPEED wpm,"
    echo "converted with sox to 16 kHz mono 16-bit FLAC)."
    echo "Do not edit by hand: re-run the script instead. Durations are measured with \`soxi -D\`."
    echo "\`resources/samples/example_voicemail.flac\` is a copy of \`good.flac\`."
    echo
    echo "| File | Duration (s) | Spoken text |"
    echo "|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "## Silences in pauses.flac"
    echo
    echo "Inserted silences (digital zero):"
    echo
    echo "- leading dead air: 0.00 s to ${LEAD_SIL}.00 s"
    echo "- mid-message gap: ${GAP_START} s to ${GAP_END} s (${GAP_SIL}.00 s inserted)"
    echo
    echo "espeak-ng ends part A with a little near-silence of its own, so the audible gap"
    echo "(speech end at -60 dBFS to speech restart) runs from ${AUDIBLE_START} s to ${GAP_END} s."
} >"$OUT/SCRIPTS.md"

echo "Wrote:"
for f in "$OUT"/*.flac "$SAMPLE" "$GREETING"; do
    printf '  %-45s %6.2f s %8d bytes\n' "$f" "$(dur "$f")" "$(stat -c %s "$f")"
done
