#!/usr/bin/env python3
"""Generate hwf's default data set: a calibrated, SYNTHETIC Sweden (base year 2023).

Usage (from anywhere; paths are relative to this file's repository):

    python3 scripts/gen_default_data.py                         # the default world -> data/default/
    python3 scripts/gen_default_data.py --world drift           # the second world  -> data/world2/
    python3 scripts/gen_default_data.py [--world W] --out DIR   # the same files into DIR
    python3 scripts/gen_default_data.py [--world W] --check     # regenerate, compare byte for byte

The second world (`--world drift`, seed SEED_DRIFT) is made by processes hwf's model does not have:
drifting exit rates by county, movement between counties, a wave of third-country licences, a
trend break in admissions, a longer HSK transition wave, county x year effects on employment and
FTE (settings under "The second world" below; data/world2/README.md documents them). It shares the
code and everything else with the default world, whose output it leaves byte-identical.

Writes into data/default/ (or data/world2/):

    licensed.px                 licensed persons, 2010-2023            (PC-Axis, windows-1252, CRLF, KEYS)
    employed.px                 employed persons and FTE, 2010-2021    (PC-Axis, KEYS, two contents)
    licences_issued.px          licences issued (= the inflows above)  (PC-Axis, KEYS)
    population.px               population 31 Dec, 2010-2023           (PC-Axis, dense)
    population_projection.px    population projection, 2024-2045       (PC-Axis, dense)
    admissions.csv              UKÄ-style beginners/graduates/completion, 2005-2023 (windows-1252, ';')
    care_use.csv                relative care use per person by sector, sex, age (UTF-8 BOM, ';', dec. comma)
    balance.csv                 principals' balance assessments 2023   (UTF-8, ',')
    service_use.csv, staffing.csv, destinations.csv   demand by service area; where graduates went
    specialists.csv             specialist physicians by specialty group, 2010-2023 (default world only)
    st_starts.csv               specialist training (ST) starts, 2004-2023 (default world only)
    municipal_employed.csv      municipal health care's employed by municipality, 2021 (default world only)
    municipal_population.px     population by municipality, 2023-2045  (PC-Axis, dense; default world only)
    manifest.toml               names, titles, sha256, sizes
    README.md                   what the files are, how they are made, calibration targets vs achieved

Everything is simulated. The generator is seeded (SEED below) and uses only the standard library and
one random.Random stream, consumed in a fixed order, so two runs write byte-identical files.

How the workforce is made (so that a stock-flow model can recover its rates):

    L[t+1, a+1] = survivors of L[t, a] (binomial, exit rate x[p, s, a]) + licences issued (t+1, a+1)

per profession p, county c, sex s and single-year age a (20-74; nobody is carried past 74).
Licences issued on Swedish education come from the admissions table (beginners -> graduates with
programme length ceil(programme_years) and the completion rate -> licence after licence_lag_years);
licences on EU/EEA and third-country education are drawn separately. The layers (SPL within LAK,
SSSK and BMO within SSK) are drawn from their parent's persons in every cell, so a layer never
exceeds its parent. Employed persons are a binomial share of the licensed, split over the three
sectors; FTE = employed x mean FTE per person. The initial 2010 stocks are scaled (exactly, the model
is linear in them) so that the expected number employed in health care in 2020 per profession and sex
hits the CALIBRATION targets below.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import math
import os
import shutil
import sys
import tempfile
import random
from array import array

# ----------------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------------

SEED = 20231231
BASE_YEAR = 2023
LIC_YEARS = list(range(2010, 2024))  # licensed persons and licences issued
EMP_YEARS = list(range(2010, 2022))  # employment lags two years
POP_YEARS = list(range(2010, 2024))
PROJ_YEARS = list(range(2024, 2046))
ADM_YEARS = list(range(2005, 2024))  # admissions table
ADM_SIM_FROM = 1996  # beginners are simulated from here so that early graduates exist
AGES = list(range(20, 75))  # workforce ages, single years
POP_AGES = list(range(0, 101))  # 100 = "100+"
NA = len(AGES)

# Fixed stamps, so the files do not change from run to run.
CREATION_DATE = "20240615 09:00"
SOURCE_SV = "hwf synthetic default data (syntetiska data)"
SOURCE_EN = "hwf synthetic default data (synthetic data)"
NOTE_SV = ("Syntetiska data: simulerade med scripts/gen_default_data.py (seed %d) och kalibrerade mot "
           "publicerade aggregat (se data/default/README.md). Inga celler är observerade uppgifter." % SEED)
NOTE_EN = ("Synthetic data: simulated by scripts/gen_default_data.py (seed %d) and calibrated to "
           "published aggregates (see data/default/README.md). No cell is an observed statistic." % SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CODES_DIR = os.path.join(ROOT, "data", "codes")
OUT_DIR = os.path.join(ROOT, "data", "default")

# ----------------------------------------------------------------------------------------------
# Calibration targets and facts (each with its source; see README for the full references)
# ----------------------------------------------------------------------------------------------

# Socialstyrelsen, NPS 2023 summary: "under 2020 sysselsatte [hälso- och sjukvården] cirka 239 000
# legitimerade hälso- och sjukvårdspersonal, varav kvinnor utgjorde 79 procent".
TARGET_EMPLOYED_2020 = 239_000
TARGET_WOMEN_SHARE_2020 = 0.79
# The per-profession split below is this generator's own estimate (no single published table was at
# hand); it sums to TARGET_EMPLOYED_2020 over the 21 non-layer licensed professions (BMO is a layer of
# SSK here, so midwives are inside the SSK figure). Women shares: SSK 88-89 % (Socialstyrelsen:
# 88 % of employed nurses in 2021), LAK ~50 % in 2020 (Läkartidningen 2022-09), others estimates.
# Columns: employed in health care 2020, share women among them, share women among new licences.
EMPLOYED_2020 = {
    "SSK": (114_500, 0.89, 0.89), "LAK": (43_000, 0.52, 0.56), "FYS": (14_770, 0.72, 0.70),
    "ATP": (11_400, 0.92, 0.91), "PSY": (9_450, 0.77, 0.78), "BMA": (8_800, 0.88, 0.85),
    "TLK": (7_600, 0.57, 0.62), "APO": (4_600, 0.79, 0.78), "THY": (4_400, 0.97, 0.97),
    "HSK": (3_300, 0.88, 0.88), "RSK": (3_300, 0.78, 0.75), "REC": (2_800, 0.93, 0.92),
    "LOG": (2_300, 0.94, 0.95), "OPT": (2_200, 0.62, 0.68), "PST": (1_800, 0.74, 0.74),
    "DIE": (1_500, 0.94, 0.94), "NAP": (1_100, 0.52, 0.55), "AUD": (900, 0.75, 0.78),
    "KIR": (500, 0.38, 0.40), "SJF": (450, 0.45, 0.50), "ORT": (330, 0.40, 0.45),
}
# SCB: population 31 Dec, whole country (BE0101; 2010-2019 = sums of SCB's municipal series, see
# COUNTY_POP_2010_2019; 2020, 2021: SCB "Folkmängd i landskapen"; 2022: SCB monthly statistics;
# 2023: SCB via Håbo kommun/Realtid 2024-02; 2024: SCB "Folkmängd i riket, län och kommuner 2024").
NATIONAL_POP = {2020: 10_379_295, 2021: 10_452_326, 2022: 10_521_556, 2023: 10_551_707,
                2024: 10_587_710}
# SCB county populations 2010-2019, summed from SCB's municipal series (odectra/popu-sweden
# data/folkmangd.csv, whose 2018 column equals SCB table BE0101N1 for all 290 municipalities).
COUNTY_POP_2010_2019 = {
    "01": (2054343, 2091473, 2127006, 2163042, 2198044, 2231439, 2269060, 2308143, 2344124, 2377081),
    "03": (335882, 338630, 341977, 345481, 348942, 354164, 361373, 368971, 376354, 383713),
    "04": (270738, 272563, 274723, 277569, 280666, 283712, 288097, 291341, 294695, 297540),
    "05": (429642, 431075, 433784, 437848, 442105, 445661, 452105, 457496, 461583, 465495),
    "06": (336866, 337896, 339116, 341235, 344262, 347837, 352735, 357237, 360825, 363599),
    "07": (183940, 184654, 185887, 187156, 189128, 191369, 194628, 197519, 199886, 201469),
    "08": (233536, 233090, 233548, 233874, 235598, 237679, 242301, 243536, 244670, 245446),
    "09": (57269, 57308, 57241, 57161, 57255, 57391, 58003, 58595, 59249, 59686),
    "10": (153227, 152979, 152315, 152757, 154157, 156253, 158453, 159371, 159684, 159606),
    "12": (1243329, 1252933, 1263088, 1274069, 1288908, 1303627, 1324565, 1344689, 1362164, 1377827),
    "13": (299484, 301724, 304116, 306840, 310665, 314784, 320333, 324825, 329352, 333848),
    "14": (1580297, 1590604, 1600447, 1615084, 1632012, 1648682, 1671783, 1690782, 1709814, 1725881),
    "17": (273265, 272736, 273080, 273815, 274691, 275904, 279334, 280399, 281482, 282414),
    "18": (280230, 281572, 283113, 285395, 288150, 291012, 294941, 298907, 302252, 304805),
    "19": (252756, 254257, 256224, 259054, 261703, 264276, 267629, 271095, 273929, 275845),
    "20": (277047, 276565, 276555, 277349, 278903, 281028, 284531, 286165, 287191, 287966),
    "21": (276508, 276130, 276637, 277970, 279991, 281815, 284586, 285637, 286547, 287382),
    "22": (242625, 242155, 241981, 242156, 243061, 243897, 245572, 245968, 245453, 245347),
    "23": (126691, 126299, 126201, 126461, 126765, 127376, 128673, 129806, 130280, 130810),
    "24": (259286, 259667, 260217, 261112, 262362, 263378, 265881, 268465, 270154, 271736),
    "25": (248609, 248545, 248637, 249436, 249987, 249733, 250570, 251295, 250497, 250093),
}
# County populations published for later years (SCB; county = sum of its parts in the landskap
# tables 2020/2021; Stockholm 2023 = 2024 value minus the 2024 increase; Uppsala 2023: SCB via Håbo).
COUNTY_POP_ANCHORS = {
    2020: {"05": 467_158, "06": 365_010, "07": 202_263, "08": 246_010, "09": 60_124, "10": 159_056,
           "12": 1_389_336, "13": 336_748, "14": 1_734_033},
    2021: {"05": 469_704, "06": 367_064, "07": 203_340, "08": 247_175, "09": 61_001, "10": 158_937,
           "12": 1_402_425, "13": 340_243, "14": 1_744_454},
    2023: {"01": 2_454_821, "03": 404_589},
    2024: {"01": 2_473_307},
}
# Number of municipalities per county (first two digits of the 290 municipality codes, SCB).
MUNICIPALITIES = {"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
                  "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10,
                  "22": 7, "23": 8, "24": 15, "25": 14}
# SCB, Sveriges framtida befolkning 2012-2060, table T.9a: population 2010 aged 65-69 ... 100+
# (thousands). The younger five-year groups are this generator's approximations of SCB's 2010 table;
# the total is rescaled to the exact 2010 population.
POP_2010_5Y_THOUSANDS = [564, 513, 507, 614, 630, 576, 580, 639, 663, 624, 587, 596, 647,
                         547.7, 389.6, 303.0, 245.7, 165.5, 68.9, 15.2]  # 0-4 ... 95-99
POP_2010_100PLUS_THOUSANDS = 1.7
# Live births (SCB). 2023: 100 100 (Realtid/SCB 2024-02: "4 700 färre än 2022 ... 14 200 färre än
# 2021"); 2024: 98 451 (SCB 2024 table). 2010-2020 are approximations of SCB's series.
BIRTHS = {2011: 111_800, 2012: 113_200, 2013: 113_600, 2014: 114_900, 2015: 114_900, 2016: 117_400,
          2017: 115_400, 2018: 115_800, 2019: 114_500, 2020: 113_100, 2021: 114_300, 2022: 104_800,
          2023: 100_100, 2024: 98_451}
DEATHS_2023 = 94_400  # Realtid/SCB 2024-02, used to level the mortality schedule
PROJ_BIRTHS_2035, PROJ_BIRTHS_2045 = 106_000, 108_000  # assumption of this projection
PROJ_NET_MIGRATION = 30_000  # per year from 2025, assumption of this projection
PROJ_MORTALITY_IMPROVEMENT = 0.010  # per year
HIST_MORTALITY_IMPROVEMENT = 0.016  # per year 2011-2023 (with the level, gives about 498 000 aged
# 80+ in 2011 and about 550 000 in 2020, as in SCB's table T.9a)
# UKÄ (via Framtidens vårdkompetens 2019-02): 2017/18 almost 6 200 beginners towards a nursing
# degree, almost 2 500 towards a specialist-nurse degree, midwife 410 -> 350, prescriptionist
# 360 -> 300, psychotherapist 140 -> 260. Medicine: 1 700-2 300 beginners a year (brief).
# Programme table: beginners (year, national count) knots, completion rate, host-region weights,
# start-age profile. Regions: SG UO SO S V N. `None` weights = all six by population.
PROGRAMMES = {
    "APO": ([(1996, 380), (2005, 420), (2023, 560)], 0.55, {"UO": 0.40, "SO": 0.20, "V": 0.20, "N": 0.20}, "young"),
    "ATP": ([(1996, 780), (2005, 820), (2023, 950)], 0.72, None, "young"),
    "AUD": ([(1996, 70), (2005, 75), (2023, 100)], 0.65, {"SG": 0.25, "UO": 0.25, "SO": 0.15, "S": 0.15, "V": 0.20}, "young"),
    "BMO": ([(1996, 380), (2005, 400), (2017, 350), (2023, 420)], 0.85, None, "second"),
    "BMA": ([(1996, 600), (2005, 650), (2023, 750)], 0.62, None, "young"),
    "DIE": ([(1996, 150), (2005, 160), (2023, 220)], 0.65, {"UO": 0.35, "V": 0.30, "N": 0.20, "S": 0.15}, "young"),
    "FYS": ([(1996, 760), (2005, 800), (2023, 920)], 0.82, None, "young"),
    "HSK": ([(1996, 500), (2005, 550), (2023, 650)], 0.75, None, "young"),
    "LOG": ([(1996, 180), (2005, 200), (2023, 260)], 0.78, None, "young"),
    "LAK": ([(1996, 1350), (2005, 1760), (2012, 1850), (2018, 2150), (2023, 2250)], 0.84,
            {"SG": 0.25, "UO": 0.20, "SO": 0.11, "S": 0.17, "V": 0.17, "N": 0.10}, "young"),
    "NAP": ([(1996, 70), (2005, 75), (2023, 120)], 0.75, {"SG": 1.0}, "young"),
    "OPT": ([(1996, 120), (2005, 130), (2023, 160)], 0.70, {"SG": 0.55, "SO": 0.45}, "young"),
    "ORT": ([(1996, 20), (2005, 21), (2023, 25)], 0.70, {"SO": 1.0}, "young"),
    "PSY": ([(1996, 650), (2005, 820), (2023, 1050)], 0.85, None, "young"),
    "PST": ([(1996, 170), (2005, 170), (2016, 140), (2018, 260), (2023, 260)], 0.80, None, "mid"),
    "REC": ([(1996, 300), (2005, 330), (2016, 360), (2018, 300), (2023, 300)], 0.50,
            {"UO": 0.30, "SO": 0.25, "V": 0.20, "N": 0.25}, "young"),
    "RSK": ([(1996, 300), (2005, 350), (2023, 450)], 0.72, None, "young"),
    "SJF": ([(1996, 30), (2005, 32), (2023, 45)], 0.60, {"SG": 0.30, "UO": 0.15, "S": 0.20, "V": 0.20, "N": 0.15}, "young"),
    "SSK": ([(1996, 4600), (2005, 4900), (2012, 5300), (2018, 6100), (2023, 5900)], 0.73, None, "young"),
    "THY": ([(1996, 260), (2005, 280), (2023, 320)], 0.80, None, "young"),
    "TLK": ([(1996, 320), (2005, 340), (2023, 420)], 0.82, {"SG": 0.30, "V": 0.30, "S": 0.25, "N": 0.15}, "young"),
    "SSSK": ([(1996, 1900), (2005, 2000), (2017, 2500), (2023, 2700)], 0.80, None, "second"),
}
LICENCE_UPTAKE = 0.95  # share of graduates who obtain the licence
# Socialstyrelsen: 2020, 2 401 physician licences, of which 1 349 Swedish-trained, 33 % EU/EEA,
# 11 % third countries; 2013: 991 / 1 052 / 203 (Läkartidningen 2014-09); nurses 2015: 3 900 /
# 595 / 71 (Vårdfokus); 42 % of new pharmacists and 35 % of new dentists foreign-trained in 2020.
# Licences on foreign education per year: (EU/EEA 2010, EU/EEA 2023, third country 2010, 2023).
FOREIGN = {
    "APO": (110, 150, 30, 60), "ATP": (25, 25, 8, 8), "AUD": (3, 3, 1, 1), "BMA": (25, 25, 20, 25),
    "DIE": (8, 8, 3, 3), "FYS": (140, 110, 10, 10), "HSK": (8, 8, 3, 3), "KIR": (25, 35, 3, 3),
    "LOG": (4, 4, 2, 2), "LAK": (1000, 650, 200, 280), "NAP": (10, 10, 2, 2), "OPT": (25, 25, 5, 5),
    "ORT": (3, 3, 1, 1), "PSY": (60, 60, 15, 15), "PST": (8, 8, 3, 3), "REC": (10, 10, 5, 5),
    "RSK": (8, 8, 3, 3), "SJF": (5, 5, 3, 3), "SSK": (520, 380, 70, 150), "THY": (10, 10, 3, 3),
    "TLK": (90, 70, 55, 80),
}
# Health and medical care counsellor (HSK) became a licensed profession in 2019: licences start then,
# with a transitional wave of experienced counsellors (Socialstyrelsen: 1 007 HSK licences in 2020).
HSK_FIRST_YEAR = 2019
HSK_WAVE = {2020: 600, 2021: 250}  # the 2019 wave is scaled to hit the 2020 employment target
# Specialist certificates on Swedish specialist training (SPL), national per year (estimate).
SPL_SE_KNOTS = [(2010, 1300), (2016, 1600), (2023, 1900)]
SPL_FOREIGN_PROB = {"EU": 0.50, "TC": 0.35}  # foreign physicians aged 35+ recognised as specialists
LAYER_FOREIGN = {"SSSK": (30, 0), "BMO": (18, 8)}  # per year, EU/EEA and third country
LAYER_SEX = {"SPL": (1.0, 1.0), "SSSK": (1.0, 1.0), "BMO": (0.004, 1.0)}  # relative weight men, women

# Per-profession behaviour: employment share at prime ages (of licensed persons resident in Sweden,
# working in health care; the rest work elsewhere or not at all), sector shares (R, K, P), growth of
# the licensed stock 2010-2023 (a calibration target: the prime-age exit rate is solved so that the
# expected stock grows by this factor; judgement after Socialstyrelsen's per-capita changes:
# pharmacists +20 % per 100 000 in 2018-2022 and in 2010-2014, dietitians +15 %, psychotherapists
# -5 %, dentists -3 % (2018-2022); speech therapists, chiropractors, naprapaths +20 % (2010-2014);
# nurses -1 %, physicians +6 % per 100 000 (2011-2015); population +12 % 2010-2023), FTE adjustment.
BEHAVIOUR = {
    "APO": (0.72, (0.15, 0.01, 0.84), 1.70, 0.00),
    "ATP": (0.85, (0.42, 0.48, 0.10), 1.30, -0.02),
    "AUD": (0.85, (0.70, 0.00, 0.30), 1.30, 0.00),
    "BMA": (0.82, (0.85, 0.00, 0.15), 1.05, 0.00),
    "DIE": (0.72, (0.65, 0.15, 0.20), 1.55, -0.02),
    "FYS": (0.88, (0.45, 0.20, 0.35), 1.35, -0.03),
    "HSK": (0.75, (0.85, 0.05, 0.10), None, 0.00),
    "KIR": (0.88, (0.02, 0.00, 0.98), 1.70, -0.06),
    "LOG": (0.82, (0.80, 0.05, 0.15), 1.75, -0.01),
    "LAK": (0.88, (0.78, 0.01, 0.21), 1.35, 0.04),
    "NAP": (0.88, (0.03, 0.01, 0.96), 1.80, -0.08),
    "OPT": (0.85, (0.05, 0.00, 0.95), 1.15, -0.02),
    "ORT": (0.88, (0.55, 0.00, 0.45), 1.15, 0.00),
    "PSY": (0.62, (0.70, 0.05, 0.25), 1.50, 0.00),
    "PST": (0.62, (0.50, 0.05, 0.45), 0.97, -0.15),
    "REC": (0.85, (0.08, 0.01, 0.91), 1.12, -0.03),
    "RSK": (0.90, (0.88, 0.00, 0.12), 3.00, 0.00),
    "SJF": (0.85, (0.95, 0.00, 0.05), 1.30, 0.02),
    "SSK": (0.87, (0.70, 0.18, 0.12), 1.07, -0.01),
    "THY": (0.90, (0.50, 0.00, 0.50), 1.25, -0.02),
    "TLK": (0.88, (0.35, 0.00, 0.65), 1.03, 0.00),
}
EXIT_MULT: dict[str, float] = {}  # solved prime-age exit multipliers (set by calibrate_exits)
# Layers: parent, initial share of the parent's persons by age (2010), employment relative to the
# parent, sector tilt (R, K, P) relative to the parent, issuance age profile.
LAYERS = {
    "SPL": ("LAK", [(30, 0.0), (31, 0.05), (36, 0.5), (42, 0.85), (50, 0.93), (74, 0.95)], 1.03,
            (1.0, 0.5, 1.1), [(30, 0.0), (33, 0.4), (36, 1.0), (40, 0.8), (45, 0.4), (55, 0.1), (65, 0.0)]),
    "SSSK": ("SSK", [(25, 0.0), (26, 0.02), (30, 0.12), (35, 0.25), (40, 0.35), (50, 0.45), (60, 0.52), (74, 0.55)],
             1.02, (1.08, 0.8, 0.9), [(24, 0.0), (27, 0.5), (32, 1.0), (38, 0.8), (45, 0.45), (55, 0.12), (62, 0.0)]),
    "BMO": ("SSK", [(25, 0.0), (27, 0.02), (32, 0.06), (40, 0.075), (55, 0.085), (74, 0.09)], 1.0,
            (1.25, 0.05, 0.6), [(24, 0.0), (26, 0.5), (30, 1.0), (35, 0.7), (42, 0.3), (52, 0.05), (58, 0.0)]),
}
UNIVERSITY_COUNTIES = ("01", "03", "05", "12", "14", "18", "24")
# County tilts of where licensed persons live, relative to population (estimates after the regional
# differences Socialstyrelsen describes: physicians densest in Uppsala/Västerbotten/Stockholm, lowest
# in Norrbotten; pharmacists and psychologists densest in Stockholm and Uppsala; nurses relatively
# fewer in Stockholm).
def county_tilt(p: str, c: str) -> float:
    t = 1.0
    if p in ("LAK", "SJF") and c in UNIVERSITY_COUNTIES:
        t *= 1.35 if p == "LAK" else 1.5
    if p == "LAK" and c in ("17", "22", "25"):
        t *= 0.72
    if p in ("PSY", "APO"):
        t *= {"01": 1.35, "03": 1.35}.get(c, 1.1 if c in UNIVERSITY_COUNTIES else 1.0)
        if c == "25":
            t *= 0.75
    if p == "SSK":
        t *= {"01": 0.88, "22": 1.1, "23": 1.1, "24": 1.1, "25": 1.1}.get(c, 1.0)
    if p in ("KIR", "NAP", "PST", "OPT") and c == "01":
        t *= 1.4
    return t


# Principals' balance assessments 2023 (shape after Socialstyrelsen NPS 2022/2023: every region
# reported shortage of midwives, specialist nurses, specialist physicians and radiographers in 2022;
# 15 of 21 regions reported shortage in half or more of the professions in 2023; half or more of the
# municipalities reported shortage of licensed staff). Probabilities (shortage, surplus).
BALANCE_R = {
    "APO": (0.40, 0.03), "ATP": (0.25, 0.05), "AUD": (0.35, 0.02), "BMO": (0.85, 0.0),
    "BMA": (0.50, 0.02), "DIE": (0.20, 0.05), "FYS": (0.30, 0.05), "HSK": (0.25, 0.03),
    "LOG": (0.40, 0.02), "LAK": (0.30, 0.08), "ORT": (0.30, 0.02), "PSY": (0.75, 0.0),
    "PST": (0.35, 0.03), "RSK": (0.90, 0.0), "SJF": (0.40, 0.02), "SSK": (0.75, 0.0),
    "THY": (0.45, 0.03), "TLK": (0.50, 0.02), "SPL": (0.95, 0.0), "SSSK": (0.97, 0.0),
}
BALANCE_K = {"ATP": (0.45, 0.03), "DIE": (0.20, 0.03), "FYS": (0.45, 0.03), "SSK": (0.80, 0.0),
             "SSSK": (0.75, 0.0)}
RURAL_COUNTIES = ("08", "09", "10", "17", "20", "21", "22", "23", "25")

# ----------------------------------------------------------------------------------------------
# The second world (`--world drift`): a process that is NOT hwf's model
# ----------------------------------------------------------------------------------------------
# The default world is stationary in the model's own terms (binomial exits at fixed rates, fixed
# inflow levels, employment shares without county effects). The drift world shares everything
# above (population, programmes, calibration of the 2010 stocks) and changes the process:
# drifting exit rates by county, movement between counties, a third-country licence wave, a trend
# break in admissions, a longer HSK transition wave, and county x year effects on employment and
# FTE. The calibration of the 2010 stocks and exit multipliers uses the default schedules, so the
# drift world departs from the calibration targets by what its processes do (see its README).
# Every number below is an assumption of this synthetic world, not an estimate of Sweden.

DRIFT = False  # set by --world drift
WORLD = "default"
SEED_DRIFT = 20191231
DRIFT_DIR_NAME = "world2"
# 1. Exit rates drift. Retirement: the RETIRE schedule moves to older ages by
#    RETIRE_SHIFT_BASE + RETIRE_SHIFT_URBAN * URBAN[c] years per year after 2010 (Stockholm 0.16,
#    the most rural counties 0.06), plus a step of RETIRE_STEP years from RETIRE_STEP_YEAR (a
#    pension-age reform). Mid-career exits (the prime-age part) change by MID_TREND a year
#    (relative), by county type.
RETIRE_SHIFT_BASE = 0.10
RETIRE_SHIFT_URBAN = 0.06
RETIRE_STEP_YEAR, RETIRE_STEP = 2020, 0.5
MID_TREND_RURAL, MID_TREND_CITY, MID_TREND_OTHER = 0.040, 0.010, 0.020  # relative change a year
CITY_COUNTIES = ("01", "12", "14")
# 2. Movement between counties: each surviving licensed person moves with probability
#    MOVE_AGE(a) x push(c) x (1 + MOVE_GROWTH (y - 2010)); destinations by population x attraction
#    (1 + MOVE_ATTRACT x max(URBAN[c], 0)), never the county of origin. Age is kept; a person in a
#    layer (SPL, SSSK, BMO) moves with the parent's movers.
MOVE_AGE = [(20, 0.020), (25, 0.032), (32, 0.026), (40, 0.012), (50, 0.006), (60, 0.003), (74, 0.002)]
MOVE_PUSH_RURAL, MOVE_PUSH_CITY = 1.4, 0.8
MOVE_ATTRACT = 2.0
MOVE_GROWTH = 0.03
# 3. A wave of licences on third-country education: the TC level of FOREIGN times
#    1 + TC_WAVE_AMPLITUDE[p] x TC_WAVE[y] (default amplitude 1.0), placed with Stockholm, Skåne and
#    Västra Götaland weighted up by TC_WAVE_CITY.
TC_WAVE = {2015: 0.3, 2016: 1.2, 2017: 2.0, 2018: 1.6, 2019: 0.8, 2020: 0.3}
TC_WAVE_AMPLITUDE = {"LAK": 1.5, "SSK": 2.0, "TLK": 1.2, "APO": 1.2, "PSY": 0.8}
TC_WAVE_CITY = 1.6
# 4. Trend break in admissions: national beginners (the PROGRAMMES knots) times
#    1 + min(cap, step + slope x (y - year)) from `year` on.
ADMISSIONS_BREAK = {  # year, step, slope a year, cap
    "SSK": (2016, 0.04, 0.04, 0.28), "LAK": (2017, 0.12, 0.01, 0.18), "BMO": (2018, 0.25, 0.0, 0.25),
    "SSSK": (2018, 0.05, 0.05, 0.25), "PSY": (2016, 0.20, 0.0, 0.20), "RSK": (2015, 0.06, 0.06, 0.36),
}
# 5. HSK licensed from 2019 with a longer transition wave of experienced counsellors (the 2019
#    wave is calibrated as in the default world, to the 2020 employment target).
HSK_WAVE_DRIFT = {2020: 1500, 2021: 1000, 2022: 600, 2023: 250}
# 6. Employment share and FTE per employed person with county effects and year-to-year variation:
#    e[p, c, a, y] = e[p, a] x exp(u_c + u_pc + v_cy + EMP_TREND (y - 2010)) (capped at 0.99),
#    h[p, s, a, k, c, y] = h x exp(w_c + z_cy + FTE_TREND (y - 2010)) (capped at 1),
#    u_c ~ N(0, EMP_COUNTY_SD), u_pc ~ N(0, EMP_PROF_COUNTY_SD), v AR(1) with EMP_AR and innovations
#    N(0, EMP_YEAR_SD) per county; w_c, z likewise with FTE_*.
EMP_COUNTY_SD, EMP_PROF_COUNTY_SD, EMP_YEAR_SD, EMP_AR, EMP_TREND = 0.05, 0.03, 0.02, 0.5, -0.004
FTE_COUNTY_SD, FTE_YEAR_SD, FTE_AR, FTE_TREND = 0.03, 0.012, 0.5, 0.003

# ----------------------------------------------------------------------------------------------
# Random numbers: one stream, own binomial (Python 3.11 has no random.binomialvariate)
# ----------------------------------------------------------------------------------------------


class Rng:
    """A seeded stream; only random.Random.random() is used, so results do not depend on how a
    Python version implements gauss, choices or shuffle."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)
        self._spare: float | None = None

    def random(self) -> float:
        return self._r.random()

    def gauss(self) -> float:
        """Standard normal (Box-Muller)."""
        if self._spare is not None:
            z, self._spare = self._spare, None
            return z
        u1 = max(self._r.random(), 1e-300)
        u2 = self._r.random()
        rad = math.sqrt(-2.0 * math.log(u1))
        self._spare = rad * math.sin(2.0 * math.pi * u2)
        return rad * math.cos(2.0 * math.pi * u2)

    def binomial(self, n: int, p: float) -> int:
        """Binomial(n, p): inversion for small means, a rounded normal otherwise."""
        if n <= 0 or p <= 0.0:
            return 0
        if p >= 1.0:
            return n
        if p > 0.5:
            return n - self.binomial(n, 1.0 - p)
        mean = n * p
        if mean < 30.0:
            q = 1.0 - p
            ratio = p / q
            f = q ** n
            u = self._r.random()
            k = 0
            while u > f and k < n:
                u -= f
                k += 1
                f *= ratio * (n - k + 1) / k
            return k
        k = int(math.floor(mean + math.sqrt(mean * (1.0 - p)) * self.gauss() + 0.5))
        return 0 if k < 0 else (n if k > n else k)

    def multinomial(self, n: int, probs: list[float]) -> list[int]:
        """Counts over categories (conditional binomials); probabilities need not sum to 1."""
        out = [0] * len(probs)
        last = max((i for i, q in enumerate(probs) if q > 0), default=-1)
        if n <= 0 or last < 0:
            return out
        rest = [0.0] * (len(probs) + 1)
        for i in range(len(probs) - 1, -1, -1):
            rest[i] = rest[i + 1] + max(probs[i], 0.0)
        rem = n
        for i in range(last):
            q = max(probs[i], 0.0)
            if q <= 0.0 or rem == 0:
                continue
            k = self.binomial(rem, min(1.0, q / rest[i]))
            out[i] = k
            rem -= k
        out[last] += rem
        return out


class Categorical:
    """Draws an index with given weights (cumulative search)."""

    def __init__(self, weights: list[float]) -> None:
        total = 0.0
        self.cum = []
        for w in weights:
            total += max(w, 0.0)
            self.cum.append(total)
        self.total = total

    def draw(self, rng: Rng) -> int:
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return min(i, len(self.cum) - 1)


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------


def interp(knots: list[tuple[float, float]], x: float) -> float:
    """Piecewise-linear interpolation, flat outside the knots."""
    if x <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return knots[-1][1]


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def largest_remainder(values: list[float], total: int) -> list[int]:
    """Integers summing to `total`, each the floor of its value plus one for the largest remainders."""
    s = sum(values)
    scaled = [v * total / s for v in values] if s > 0 else [0.0] * len(values)
    base = [int(math.floor(v)) for v in scaled]
    short = total - sum(base)
    order = sorted(range(len(values)), key=lambda i: (-(scaled[i] - base[i]), i))
    for i in order[:short]:
        base[i] += 1
    return base


def read_codes(name: str) -> list[dict[str, str]]:
    with open(os.path.join(CODES_DIR, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def tenths(v: int) -> str:
    """An integer number of tenths written with one decimal (point)."""
    return "%d.%d" % (v // 10, v % 10)


# ----------------------------------------------------------------------------------------------
# Code lists
# ----------------------------------------------------------------------------------------------

COUNTIES = read_codes("counties.csv")
REGIONS = read_codes("healthcare_regions.csv")
SECTORS = read_codes("sectors.csv")
PROFESSIONS = read_codes("professions.csv")
C_CODES = [c["code"] for c in COUNTIES]
NC = len(C_CODES)
R_CODES = [r["code"] for r in REGIONS]
P_CODES = [p["code"] for p in PROFESSIONS]
PROF = {p["code"]: p for p in PROFESSIONS}
COUNTY_REGION = {c["code"]: c["healthcare_region"] for c in COUNTIES}
PARENTS = [p for p in P_CODES if p in BEHAVIOUR]  # the 21 non-layer licensed professions
ORIGINS = [("SE", "Sverige", "Sweden"), ("EU", "EU/EES", "EU/EEA"), ("TC", "tredje land", "third country")]


def prog_lag(p: str) -> int:
    """Graduation lag: beginners in the autumn of year y graduate in year y + ceil(programme_years)."""
    return int(math.ceil(float(PROF[p]["programme_years"])))


def idx(c: int, s: int, ai: int) -> int:
    """Flat index of a county x sex x age cell (s: 0 = men, 1 = women)."""
    return (c * 2 + s) * NA + ai


NCELL = NC * 2 * NA

# ----------------------------------------------------------------------------------------------
# Population: national cohort-component model, counties by iterative proportional fitting
# ----------------------------------------------------------------------------------------------


def county_totals() -> dict[int, list[int]]:
    """County populations 2010-2045 (history from SCB, later years extrapolated/projected)."""
    tot: dict[int, dict[str, int]] = {}
    for k, y in enumerate(range(2010, 2020)):
        tot[y] = {c: COUNTY_POP_2010_2019[c][k] for c in C_CODES}
    growth = {c: 0.55 * ((tot[2019][c] / tot[2016][c]) ** (1 / 3) - 1) for c in C_CODES}
    for y in range(2020, 2025):
        known = COUNTY_POP_ANCHORS.get(y, {})
        raw = {c: tot[y - 1][c] * (1 + growth[c]) for c in C_CODES if c not in known}
        rest = NATIONAL_POP[y] - sum(known.values())
        ints = largest_remainder(list(raw.values()), rest)
        tot[y] = dict(known)
        tot[y].update(dict(zip(raw.keys(), ints)))
    return {y: [tot[y][c] for c in C_CODES] for y in tot}


def mortality(s: int, a: int, year: int, level: float) -> float:
    """Probability of dying within the year (s: 0 men, 1 women): a Gompertz curve above 30 (about
    0.105 for men and 0.061 for women at 85 times `level`, rising 12 % per year of age), improving
    HIST_MORTALITY_IMPROVEMENT a year after 2010 and PROJ_MORTALITY_IMPROVEMENT after 2023."""
    if a == 0:
        q = 0.0027 if s == 0 else 0.0022
    elif a < 15:
        q = 0.0001
    elif a < 30:
        q = 0.0005 if s == 0 else 0.0002
    else:
        q = max(0.0006 if s == 0 else 0.0003,
                math.exp((-2.25 if s == 0 else -2.80) + 0.12 * (a - 85)) * level)
    q *= (1 - HIST_MORTALITY_IMPROVEMENT) ** (min(year, 2023) - 2010)
    if year > 2023:
        q *= (1 - PROJ_MORTALITY_IMPROVEMENT) ** (year - 2023)
    return min(q, 0.65)


MIGRATION_AGE = [(0, 0.5), (5, 0.35), (15, 0.4), (18, 0.8), (22, 1.6), (26, 1.8), (30, 1.4), (35, 0.9),
                 (45, 0.5), (60, 0.2), (70, 0.1), (100, 0.0)]


def initial_population() -> list[list[float]]:
    """National population 2010 by sex and age (floats), from five-year groups."""
    mids = [5 * g + 2 for g in range(20)]
    dens = [v / 5 for v in POP_2010_5Y_THOUSANDS]
    single = [interp(list(zip(mids, dens)), a) for a in range(100)]
    for g in range(20):
        s = sum(single[5 * g:5 * g + 5])
        for a in range(5 * g, 5 * g + 5):
            single[a] *= POP_2010_5Y_THOUSANDS[g] / s
    single.append(POP_2010_100PLUS_THOUSANDS)
    total = sum(single)
    target = sum(COUNTY_POP_2010_2019[c][0] for c in C_CODES)
    men_share = [(0, 0.513), (50, 0.505), (65, 0.495), (75, 0.465), (85, 0.40), (92, 0.30), (100, 0.20)]
    out = [[0.0] * 101, [0.0] * 101]
    for a in range(101):
        v = single[a] * target / total
        m = interp(men_share, a)
        out[0][a] = v * m
        out[1][a] = v * (1 - m)
    return out


def national_population(level: float = 1.0) -> tuple[dict[int, list[list[float]]], dict[int, float]]:
    """Cohort-component national model 2010-2045 with mortality level `level`; returns the
    population by year (sex x age floats) and the deaths by year."""
    pops = {2010: initial_population()}
    deaths_by_year = {}
    mig = [interp(MIGRATION_AGE, a) for a in range(101)]
    msum = sum(mig)
    for y in range(2011, 2046):
        old = pops[y - 1]
        new = [[0.0] * 101, [0.0] * 101]
        d_total = 0.0
        births = BIRTHS.get(y) or interp([(2024, BIRTHS[2024]), (2035, PROJ_BIRTHS_2035),
                                          (2045, PROJ_BIRTHS_2045)], y)
        for s in (0, 1):
            for a in range(100, 0, -1):
                src = old[s][a - 1]
                q = mortality(s, a - 1, y, level)
                new[s][a] += src * (1 - q)
                d_total += src * q
            q100 = mortality(s, 100, y, level)
            new[s][100] += old[s][100] * (1 - q100)
            d_total += old[s][100] * q100
            share = 0.513 if s == 0 else 0.487
            q0 = mortality(s, 0, y, level)
            new[s][0] = births * share * (1 - q0 / 2)
            d_total += births * share * q0 / 2
        natural = sum(new[0]) + sum(new[1])
        if y in NATIONAL_POP:
            target = NATIONAL_POP[y]
        elif y < 2020:
            target = sum(COUNTY_POP_2010_2019[c][y - 2010] for c in C_CODES)
        else:
            target = natural + PROJ_NET_MIGRATION
        resid = target - natural
        for s in (0, 1):
            share = 0.52 if s == 0 else 0.48
            for a in range(101):
                new[s][a] = max(0.0, new[s][a] + resid * share * mig[a] / msum)
        # exact total
        t = sum(new[0]) + sum(new[1])
        for s in (0, 1):
            for a in range(101):
                new[s][a] *= target / t
        pops[y] = new
        deaths_by_year[y] = d_total
    return pops, deaths_by_year


URBAN = {"01": 1.0, "03": 0.6, "04": -0.3, "05": 0.15, "06": -0.1, "07": 0.0, "08": -0.6, "09": -0.7,
         "10": -0.5, "12": 0.35, "13": -0.1, "14": 0.35, "17": -0.6, "18": 0.05, "19": -0.15, "20": -0.6,
         "21": -0.55, "22": -0.6, "23": -0.6, "24": 0.0, "25": -0.55}
URBAN_AGE = [(0, 0.08), (5, 0.02), (15, -0.05), (19, 0.0), (22, 0.30), (29, 0.30), (35, 0.18), (42, 0.05),
             (50, -0.05), (60, -0.12), (67, -0.22), (80, -0.18), (100, -0.15)]


def project_county_totals(hist: dict[int, list[int]], national: dict[int, float]) -> dict[int, list[int]]:
    """County totals 2025-2045: 2024 shares continued with half their 2014-2024 trend."""
    out = {}
    s24 = [v / sum(hist[2024]) for v in hist[2024]]
    s14 = [v / sum(hist[2014]) for v in hist[2014]]
    slope = [(a - b) / 10 for a, b in zip(s24, s14)]
    for y in range(2025, 2046):
        sh = [max(1e-4, s + 0.5 * sl * (y - 2024)) for s, sl in zip(s24, slope)]
        out[y] = largest_remainder(sh, round_half_up(national[y]))
    return out


def county_population(years: list[int], pops, totals) -> dict[int, list[list[list[int]]]]:
    """Population by year, county, sex, age (ints): IPF of county tilts to national margins and
    county totals, then integers summing exactly to each county total."""
    tilt = [[max(0.3, 1 + URBAN[c] * interp(URBAN_AGE, a)) for a in range(101)] for c in C_CODES]
    out = {}
    for y in years:
        m = pops[y]
        tot = totals[y]
        grand = sum(tot)
        x = [[[tilt[ci][a] * m[s][a] * tot[ci] / grand for a in range(101)] for s in (0, 1)]
             for ci in range(NC)]
        for _ in range(12):
            for ci in range(NC):
                f = tot[ci] / (sum(x[ci][0]) + sum(x[ci][1]))
                for s in (0, 1):
                    row = x[ci][s]
                    for a in range(101):
                        row[a] *= f
            for s in (0, 1):
                for a in range(101):
                    col = sum(x[ci][s][a] for ci in range(NC))
                    if col > 0:
                        f = m[s][a] / col
                        for ci in range(NC):
                            x[ci][s][a] *= f
        yr = []
        for ci in range(NC):
            flat = x[ci][0] + x[ci][1]
            ints = largest_remainder(flat, tot[ci])
            yr.append([ints[:101], ints[101:]])
        out[y] = yr
    return out


# ----------------------------------------------------------------------------------------------
# Workforce schedules
# ----------------------------------------------------------------------------------------------


RETIRE = [(54, 0.0), (55, 0.003), (59, 0.008), (60, 0.015), (62, 0.025), (64, 0.05), (65, 0.09),
          (67, 0.14), (70, 0.17), (73, 0.19)]


def exit_rate(p: str, s: int, a: int) -> float:
    """Annual probability that a licensed person aged a leaves the resident licensed stock: a
    prime-age part (emigration, leaving the profession; scaled per profession by EXIT_MULT) plus
    retirement and mortality; everybody leaves after 74."""
    if a >= 74:
        return 1.0
    x = (0.018 if a < 30 else 0.010) * EXIT_MULT.get(p, 1.0) + interp(RETIRE, a)
    if s == 0 and a >= 50:
        x += 0.002 + 0.0004 * (a - 50)
    return min(x, 0.9)


def retire_shift(c: str, year: int) -> float:
    """Drift world: years by which the retirement schedule has moved to older ages in county c."""
    shift = (RETIRE_SHIFT_BASE + RETIRE_SHIFT_URBAN * URBAN[c]) * (year - 2010)
    return shift + (RETIRE_STEP if year >= RETIRE_STEP_YEAR else 0.0)


def mid_trend(c: str) -> float:
    """Drift world: relative change a year of the prime-age exit rate in county c."""
    if c in RURAL_COUNTIES:
        return MID_TREND_RURAL
    return MID_TREND_CITY if c in CITY_COUNTIES else MID_TREND_OTHER


def exit_rate_drift(p: str, s: int, a: int, year: int, c: str) -> float:
    """Drift world: exit_rate with the retirement schedule shifted by county and year and the
    prime-age part trending by county; `year` is the year in which the exit happens."""
    if a >= 74:
        return 1.0
    dt = year - 2010
    mid = (0.018 if a < 30 else 0.010) * EXIT_MULT.get(p, 1.0) * max(0.2, 1.0 + mid_trend(c) * dt)
    x = mid + interp(RETIRE, a - retire_shift(c, year))
    if s == 0 and a >= 50:
        x += 0.002 + 0.0004 * (a - 50)
    return min(x, 0.9)


EMPLOY_AGE = [(20, 0.80), (25, 0.95), (30, 1.0), (59, 1.0), (60, 0.97), (61, 0.95), (62, 0.92), (63, 0.88),
              (64, 0.82), (65, 0.62), (66, 0.50), (67, 0.38), (68, 0.30), (69, 0.25), (70, 0.20), (72, 0.14),
              (74, 0.10)]


def employ_share(p: str, a: int) -> float:
    return min(0.99, BEHAVIOUR[p][0] * interp(EMPLOY_AGE, a))


FTE_AGE = [(20, 0.88), (25, 0.97), (30, 1.0), (59, 1.0), (62, 0.96), (64, 0.93), (65, 0.72), (67, 0.56),
           (70, 0.46), (74, 0.40)]


def fte_mean(p: str, s: int, a: int, k: int) -> float:
    base = (0.93 if s == 0 else 0.88) + BEHAVIOUR[p][3]
    base *= interp(FTE_AGE, a)
    if k == 1:
        base -= 0.03
    return base


def sector_probs(p: str, a: int) -> tuple[float, float, float]:
    r, k, pr = BEHAVIOUR[p][1]
    if a >= 65:
        pr *= 1.6
    t = r + k + pr
    return r / t, k / t, pr / t


def survival(p: str, s: int, a: int, n: int) -> float:
    """Probability that a person aged a is still in the stock n years later."""
    v = 1.0
    for j in range(a, a + n):
        if j > 74:
            return 0.0
        v *= 1.0 - exit_rate(p, s, j)
    return v if a + n <= 74 else 0.0


START_AGE = {
    "young": [(19, 0.35), (20, 1.0), (21, 0.9), (22, 0.7), (23, 0.55), (25, 0.35), (28, 0.2), (32, 0.1),
              (40, 0.03), (45, 0.0)],
    "mid": [(27, 0.0), (32, 0.4), (38, 1.0), (45, 0.9), (52, 0.5), (60, 0.1), (64, 0.0)],
    "second": [(24, 0.0), (26, 0.5), (30, 1.0), (36, 0.7), (45, 0.3), (55, 0.0)],
}
FOREIGN_AGE = [(23, 0.0), (26, 0.5), (30, 1.0), (35, 0.8), (40, 0.5), (50, 0.2), (60, 0.05), (66, 0.0)]
KIR_AGE = [(24, 0.0), (27, 1.0), (30, 0.7), (35, 0.3), (45, 0.1), (55, 0.0)]
HSK_WAVE_AGE = [(27, 0.0), (30, 0.4), (40, 1.0), (50, 1.0), (58, 0.7), (64, 0.2), (66, 0.0)]


def age_weights(knots, shift: int = 0) -> list[float]:
    """Weights over AGES of an age profile, shifted by `shift` years."""
    return [max(0.0, interp(knots, a - shift)) if knots[0][0] <= a - shift <= knots[-1][0] else 0.0
            for a in AGES]


# ----------------------------------------------------------------------------------------------
# Admissions (UKÄ style) and the licences that follow from them
# ----------------------------------------------------------------------------------------------


def region_shares(p: str, regpop: dict[str, int]) -> dict[str, float]:
    w = PROGRAMMES[p][2]
    if w is None:
        w = {r: float(regpop[r]) for r in R_CODES}
    t = sum(w.values())
    return {r: w[r] / t for r in R_CODES if r in w}


def make_admissions(rng: Rng, regpop: dict[str, int]):
    """Beginners and graduates per programme, region and year (ADM_SIM_FROM-2023)."""
    beg: dict[str, dict[str, dict[int, int]]] = {}
    grad: dict[str, dict[str, dict[int, int]]] = {}
    for p in P_CODES:
        if p not in PROGRAMMES:
            continue
        knots, comp, _, _ = PROGRAMMES[p]
        lag = prog_lag(p)
        shares = region_shares(p, regpop)
        beg[p], grad[p] = {}, {}
        for r in shares:
            offset = (rng.random() - 0.5) * 0.08
            b, g = {}, {}
            for y in range(ADM_SIM_FROM, 2024):
                nat = interp(knots, y)
                if DRIFT and p in ADMISSIONS_BREAK:
                    by, step, slope, cap = ADMISSIONS_BREAK[p]
                    if y >= by:
                        nat *= 1.0 + min(cap, step + slope * (y - by))
                b[y] = max(0, round_half_up(nat * shares[r] * (1 + 0.04 * rng.gauss())))
            for y in range(ADM_SIM_FROM + lag, 2024):
                c = min(0.98, max(0.2, comp + offset + 0.02 * rng.gauss()))
                g[y] = rng.binomial(b[y - lag], c)
            beg[p][r], grad[p][r] = b, g
    return beg, grad


def settle_weights(region: str | None, pop: list[int]) -> Categorical:
    """Where new licensees live: 70 % in the region of their university (its university county
    weighted up), 30 % anywhere by population; region None = by population (Stockholm weighted up)."""
    tot = sum(pop)
    if region is None:
        return Categorical([pop[i] / tot * (1.3 if C_CODES[i] == "01" else 1.0) for i in range(NC)])
    in_r = [i for i in range(NC) if COUNTY_REGION[C_CODES[i]] == region]
    wr = {i: pop[i] * (1.5 if C_CODES[i] in UNIVERSITY_COUNTIES else 1.0) for i in in_r}
    sr = sum(wr.values())
    return Categorical([0.7 * wr.get(i, 0.0) / sr + 0.3 * pop[i] / tot for i in range(NC)])


def new_issued() -> dict[str, list[array]]:
    return {o[0]: [array("i", bytes(4 * NCELL)) for _ in LIC_YEARS] for o in ORIGINS}


def add_persons(rng, issued_o_year: array, n: int, women: float, age_cat: Categorical,
                county_cat: Categorical, dest: list[int] | None = None) -> None:
    """Adds n new licensees; `dest`, when given, counts them by county (no random number of its own,
    so the stream is the same with or without it)."""
    for _ in range(n):
        s = 1 if rng.random() < women else 0
        ai = age_cat.draw(rng)
        ci = county_cat.draw(rng)
        issued_o_year[idx(ci, s, ai)] += 1
        if dest is not None:
            dest[ci] += 1


# Swedish licences of the professions with a programme by (profession, health-care region of
# education, licence year): counts by county of residence (set in make_parent_inflows).
DESTINATIONS: dict[tuple[str, str, int], list[int]] = {}


def make_parent_inflows(rng: Rng, grad, county_pop: dict[int, list[int]]) -> dict[str, dict]:
    """Licences issued for the 21 non-layer professions (all origins), as cell counts."""
    issued = {}
    for p in PARENTS:
        iss = new_issued()
        women_new = EMPLOYED_2020[p][2]
        lic_lag = float(PROF[p]["licence_lag_years"])
        if p in PROGRAMMES:
            lag = prog_lag(p)
            age_cat_by_lag = {}
            for extra in (0, 1, 2):
                age_cat_by_lag[extra] = Categorical(age_weights(START_AGE[PROGRAMMES[p][3]], lag + extra))
            for r in R_CODES:
                if r not in grad[p]:
                    continue
                for gy in sorted(grad[p][r]):
                    n = rng.binomial(grad[p][r][gy], LICENCE_UPTAKE)
                    lo = int(math.floor(lic_lag))
                    n_hi = rng.binomial(n, lic_lag - lo) if lic_lag > lo else 0
                    for extra, cnt in ((lo, n - n_hi), (lo + 1, n_hi)):
                        ly = gy + extra
                        if cnt == 0 or ly not in LIC_YEARS:
                            continue
                        if p == "HSK" and ly < HSK_FIRST_YEAR:
                            continue
                        dest = DESTINATIONS.setdefault((p, r, ly), [0] * NC)
                        add_persons(rng, iss["SE"][ly - 2010], cnt, women_new, age_cat_by_lag[extra],
                                    settle_weights(r, county_pop[ly]), dest)
        eu0, eu1, tc0, tc1 = FOREIGN[p]
        fage = Categorical(age_weights(KIR_AGE if p == "KIR" else FOREIGN_AGE))
        for y in LIC_YEARS:
            if p == "HSK" and y < HSK_FIRST_YEAR:
                continue
            tilt = [county_pop[y][i] * county_tilt(p, C_CODES[i]) for i in range(NC)]
            ccat = Categorical([t * (1.3 if C_CODES[i] == "01" else 1.0) for i, t in enumerate(tilt)])
            for o, lv in (("EU", interp([(2010, eu0), (2023, eu1)], y)), ("TC", interp([(2010, tc0), (2023, tc1)], y))):
                cat = ccat
                if DRIFT and o == "TC" and TC_WAVE.get(y, 0.0) > 0.0:
                    # the wave: third-country licences above their level, cities weighted up
                    wave = TC_WAVE_AMPLITUDE.get(p, 1.0) * TC_WAVE[y]
                    lv *= 1.0 + wave
                    cat = Categorical([t * (1.3 if C_CODES[i] == "01" else 1.0)
                                       * (TC_WAVE_CITY if C_CODES[i] in CITY_COUNTIES else 1.0)
                                       for i, t in enumerate(tilt)])
                n = max(0, round_half_up(lv * (1 + 0.06 * rng.gauss())))
                add_persons(rng, iss[o][y - 2010], n, women_new, fage, cat)
        if p == "HSK":
            wcat = Categorical(age_weights(HSK_WAVE_AGE))
            for y, n in (HSK_WAVE_DRIFT if DRIFT else HSK_WAVE).items():
                add_persons(rng, iss["SE"][y - 2010], n, women_new, wcat, Categorical(county_pop[y]))
        issued[p] = iss
    return issued


# ----------------------------------------------------------------------------------------------
# Licensed stocks: calibration of the 2010 stock, simulation 2011-2023, layers
# ----------------------------------------------------------------------------------------------


def expected_employed_2020_from_inflows(p: str, iss) -> list[float]:
    """Expected employed in 2020 (by sex) of the persons licensed 2010-2020 in `iss`."""
    out = [0.0, 0.0]
    for o in iss:
        for y in range(2010, 2021):
            arr = iss[o][y - 2010]
            n = 2020 - y
            for ci in range(NC):
                for s in (0, 1):
                    base = idx(ci, s, 0)
                    for ai in range(NA):
                        v = arr[base + ai]
                        if v:
                            a = AGES[ai]
                            if a + n <= 74:
                                out[s] += v * survival(p, s, a, n) * employ_share(p, a + n)
    return out


def initial_shape(p: str, s: int) -> list[float]:
    """Stationary-like 2010 age profile of a stock fed by this profession's inflow ages and growing
    by its target growth rate: n(a) = n(a-1) (1 - x(a-1)) / (1 + g) + inflow share(a)."""
    g = BEHAVIOUR[p][2] ** (1 / 13) - 1
    w_se = age_weights(START_AGE[PROGRAMMES[p][3]], prog_lag(p) + int(round(float(PROF[p]["licence_lag_years"])))) \
        if p in PROGRAMMES else [0.0] * NA
    w_fo = age_weights(KIR_AGE if p == "KIR" else FOREIGN_AGE)
    sw, sf = sum(w_se) or 1.0, sum(w_fo)
    fshare = 0.15 if p in PROGRAMMES else 1.0
    out = []
    prev = 0.0
    for ai, a in enumerate(AGES):
        v = (1 - fshare) * w_se[ai] / sw + fshare * w_fo[ai] / sf
        if ai:
            v += prev * (1 - exit_rate(p, s, a - 1)) / (1 + g)
        out.append(v)
        prev = v
    return out


def national_inflows(iss) -> list[list[list[int]]]:
    """Licences issued summed over counties and origins: [year index][sex][age index]."""
    out = [[[0] * NA for _ in (0, 1)] for _ in LIC_YEARS]
    for o in iss:
        for t in range(len(LIC_YEARS)):
            arr = iss[o][t]
            for ci in range(NC):
                for s in (0, 1):
                    base = idx(ci, s, 0)
                    row = out[t][s]
                    for ai in range(NA):
                        row[ai] += arr[base + ai]
    return out


def project_expected(p: str, s: int, init: list[float] | None, infl) -> tuple[list[float], float]:
    """Expected licensed totals per year (2010-2023) and expected employed in 2020 for one sex, from
    a 2010 stock `init` (without the 2010 licences) and/or the inflows `infl` ([t][s][ai])."""
    L = [0.0] * NA
    if init is not None:
        L = list(init)
    if infl is not None:
        L = [L[ai] + infl[0][s][ai] for ai in range(NA)]
    surv = [1.0 - exit_rate(p, s, a) for a in AGES]
    tot = [sum(L)]
    emp2020 = 0.0
    for t in range(1, len(LIC_YEARS)):
        new = [0.0] + [L[ai - 1] * surv[ai - 1] for ai in range(1, NA)]
        if infl is not None:
            new = [new[ai] + infl[t][s][ai] for ai in range(NA)]
        L = new
        tot.append(sum(L))
        if LIC_YEARS[t] == 2020:
            emp2020 = sum(L[ai] * employ_share(p, AGES[ai]) for ai in range(NA))
    return tot, emp2020


def calibrate_exits(p: str, infl) -> tuple[float, list[float], float]:
    """Solve the prime-age exit multiplier (bisection) and the 2010 stock scales k (exact, linear)
    so that expected employed 2020 by sex hit EMPLOYED_2020 and the licensed stock grows by
    BEHAVIOUR[p][2] from 2010 to 2023."""
    total, women, _ = EMPLOYED_2020[p]
    target = (total * (1 - women), total * women)
    want = BEHAVIOUR[p][2]

    def solve(m: float) -> tuple[list[float], float]:
        EXIT_MULT[p] = m
        ks, l10, l23 = [], 0.0, 0.0
        for s in (0, 1):
            ut, ue = project_expected(p, s, initial_shape(p, s), None)
            vt, ve = project_expected(p, s, None, infl)
            k = (target[s] - ve) / ue
            ks.append(k)
            l10 += k * ut[0] + vt[0]
            l23 += k * ut[-1] + vt[-1]
        if min(ks) <= 0:
            return ks, float("inf")
        return ks, l23 / l10

    lo, hi = 0.1, 10.0
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        if solve(mid)[1] > want:
            lo = mid
        else:
            hi = mid
    m = math.sqrt(lo * hi)
    ks, growth = solve(m)
    if min(ks) <= 0:
        sys.exit("calibration failed for %s: inflows alone exceed the employment target" % p)
    return m, ks, growth


def calibrate_and_seed(rng: Rng, p: str, iss, county_pop) -> tuple[array, dict]:
    """The 2010 stock (cells): calibrated profile by sex and age, split over counties by population
    and the profession's county tilt, plus the persons licensed in 2010."""
    stock = array("i", bytes(4 * NCELL))
    info: dict = {}
    if p == "HSK":  # no licences before 2019
        EXIT_MULT[p] = 1.0
        return stock, info
    m, ks, growth = calibrate_exits(p, national_inflows(iss))
    info.update(exit_mult=m, k=ks, expected_growth=growth)
    wts = [county_pop[2010][i] * county_tilt(p, C_CODES[i]) for i in range(NC)]
    for s in (0, 1):
        shape = initial_shape(p, s)
        for ai in range(NA):
            n = round_half_up(ks[s] * shape[ai])
            for ci, v in enumerate(rng.multinomial(n, wts)):
                stock[idx(ci, s, ai)] = v
    # persons licensed in 2010 are part of the 2010 stock
    for o in iss:
        first = iss[o][0]
        for i in range(NCELL):
            stock[i] += first[i]
    return stock, info


def calibrate_hsk_wave(rng: Rng, iss, county_pop) -> int:
    """Size of the 2019 transitional HSK wave so that expected employed 2020 hits the target."""
    total = EMPLOYED_2020["HSK"][0]
    from_inflows = sum(expected_employed_2020_from_inflows("HSK", iss))
    w = age_weights(HSK_WAVE_AGE)
    sw = sum(w)
    women = EMPLOYED_2020["HSK"][2]
    unit = 0.0
    for s, share in ((0, 1 - women), (1, women)):
        unit += share * sum(w[ai] / sw * survival("HSK", s, AGES[ai], 1) * employ_share("HSK", AGES[ai] + 1)
                            for ai in range(NA - 1))
    n = round_half_up((total - from_inflows) / unit)
    add_persons(rng, iss["SE"][HSK_FIRST_YEAR - 2010], n, women, Categorical(w), Categorical(county_pop[2019]))
    return n


def draw_from_pool(rng: Rng, pool: array, target_by_county: list[float], agew: list[float],
                   out: array, sexw: tuple[float, float] = (1.0, 1.0)) -> None:
    """Draw about target_by_county[c] persons from pool cells of county c, weighted by age; adds
    them to `out` and removes them from `pool` (never more than the pool holds)."""
    for ci in range(NC):
        tgt = target_by_county[ci]
        if tgt <= 0:
            continue
        w = 0.0
        for s in (0, 1):
            base = idx(ci, s, 0)
            for ai in range(NA):
                w += pool[base + ai] * agew[ai] * sexw[s]
        if w <= 0:
            continue
        for s in (0, 1):
            base = idx(ci, s, 0)
            for ai in range(NA):
                n = pool[base + ai]
                if n and agew[ai]:
                    k = rng.binomial(n, min(1.0, tgt * agew[ai] * sexw[s] / w))
                    out[base + ai] += k
                    pool[base + ai] -= k


def simulate(rng: Rng, county_pop, grad, issued) -> tuple[dict, dict, dict]:
    """Licensed stocks 2010-2023 for all 24 codes; returns stocks, issued (layers added), info."""
    stocks: dict[str, list[array]] = {}
    info = {}
    for p in PARENTS:
        stock0, inf = calibrate_and_seed(rng, p, issued[p], county_pop)
        info[p] = inf
        stocks[p] = [stock0]
    info["HSK"]["wave_2019"] = calibrate_hsk_wave(rng, issued["HSK"], county_pop)

    # layers: initial stocks from their parent in 2010
    for lay, (par, share, _, _, _) in LAYERS.items():
        issued[lay] = new_issued()
        st = array("i", bytes(4 * NCELL))
        for ci in range(NC):
            for s in (0, 1):
                for ai in range(NA):
                    i = idx(ci, s, ai)
                    st[i] = rng.binomial(stocks[par][0][i], interp(share, AGES[ai]) * LAYER_SEX[lay][s])
        stocks[lay] = [st]
    # the 2010 licences of the layers (already inside their 2010 stocks): drawn like later years
    layer_children = {"LAK": ["SPL"], "SSK": ["SSSK", "BMO"]}

    for p in PARENTS:
        iss = issued[p]
        kids = layer_children.get(p, [])
        for t in range(1, len(LIC_YEARS)):
            prev = stocks[p][t - 1]
            cur = array("i", bytes(4 * NCELL))
            kid_surv = {k: array("i", bytes(4 * NCELL)) for k in kids}
            for ci in range(NC):
                for s in (0, 1):
                    base = idx(ci, s, 0)
                    for ai in range(1, NA):
                        n = prev[base + ai - 1]
                        if n == 0:
                            continue
                        if DRIFT:
                            xr = exit_rate_drift(p, s, AGES[ai - 1], LIC_YEARS[t], C_CODES[ci])
                        else:
                            xr = exit_rate(p, s, AGES[ai - 1])
                        surv = rng.binomial(n, 1.0 - xr)
                        cur[base + ai] = surv
                        for k in kids:
                            kp = stocks[k][t - 1][base + ai - 1]
                            if kp:
                                lo = max(0, surv - (n - kp))
                                hi = min(kp, surv)
                                v = rng.binomial(kp, surv / n)
                                kid_surv[k][base + ai] = lo if v < lo else (hi if v > hi else v)
            if DRIFT:
                move_between_counties(rng, p, LIC_YEARS[t], cur, kid_surv, county_pop, MOVES)
            for o in iss:
                inflow = iss[o][t]
                for i in range(NCELL):
                    if inflow[i]:
                        cur[i] += inflow[i]
            stocks[p].append(cur)
            year = LIC_YEARS[t]
            for k in kids:
                pool = array("i", (cur[i] - kid_surv[k][i] for i in range(NCELL)))
                issue_layer(rng, k, year, pool, iss, county_pop, grad)
                new = array("i", (kid_surv[k][i] + sum(issued[k][o][t][i] for o in ("SE", "EU", "TC"))
                                  for i in range(NCELL)))
                stocks[k].append(new)
    # layer licences issued in 2010 are part of the 2010 stocks: draw them from those stocks
    for lay in LAYERS:
        par = LAYERS[lay][0]
        pool = array("i", stocks[lay][0])
        issue_layer(rng, lay, 2010, pool, issued[par], county_pop, grad, from_layer_stock=True)
    return stocks, issued, info


MOVES: dict = {}  # drift world: movers by (profession, year, origin county, destination county)


def move_probability(a: int, c: str, year: int) -> float:
    """Drift world: probability that a surviving licensed person aged a in county c moves county."""
    push = MOVE_PUSH_RURAL if c in RURAL_COUNTIES else (MOVE_PUSH_CITY if c in CITY_COUNTIES else 1.0)
    return min(0.5, interp(MOVE_AGE, a) * push * (1.0 + MOVE_GROWTH * (year - 2010)))


def move_between_counties(rng: Rng, p: str, year: int, cur: array, kid_surv: dict, county_pop,
                          log: dict) -> None:
    """Drift world: survivors of `cur` (and of its layers in `kid_surv`) move between counties in
    `year`; destinations by population x attraction, never the county of origin. Moves are
    applied after all draws, so nobody moves twice; a layer's movers are drawn among the parent's
    movers and follow them, so a layer never exceeds its parent in any cell."""
    pop = county_pop[year - 1]
    attract = [pop[i] * (1.0 + MOVE_ATTRACT * max(URBAN[C_CODES[i]], 0.0)) for i in range(NC)]
    delta = array("i", bytes(4 * NCELL))
    kid_delta = {k: array("i", bytes(4 * NCELL)) for k in kid_surv}
    for ci in range(NC):
        c = C_CODES[ci]
        dest_w = [0.0 if j == ci else attract[j] for j in range(NC)]
        for s in (0, 1):
            base = idx(ci, s, 0)
            for ai in range(1, NA):
                i = base + ai
                n = cur[i]
                if n == 0:
                    continue
                m = rng.binomial(n, move_probability(AGES[ai], c, year))
                if m == 0:
                    continue
                dest = rng.multinomial(m, dest_w)
                delta[i] -= m
                for j, d in enumerate(dest):
                    if d:
                        delta[idx(j, s, ai)] += d
                        key = (p, year, ci, j)
                        log[key] = log.get(key, 0) + d
                for k, ks_arr in kid_surv.items():
                    ks = ks_arr[i]
                    if ks == 0:
                        continue
                    lo, hi = max(0, m - (n - ks)), min(ks, m)
                    km = rng.binomial(ks, m / n)
                    km = lo if km < lo else (hi if km > hi else km)
                    if km == 0:
                        continue
                    kid_delta[k][i] -= km
                    # the layer's movers among the parent's movers, destination by destination
                    rem_k, rem_m = km, m
                    for j, d in enumerate(dest):
                        if d == 0 or rem_k == 0:
                            rem_m -= d
                            continue
                        lo2, hi2 = max(0, rem_k - (rem_m - d)), min(rem_k, d)
                        x = rng.binomial(rem_k, d / rem_m)
                        x = lo2 if x < lo2 else (hi2 if x > hi2 else x)
                        kid_delta[k][idx(j, s, ai)] += x
                        rem_k -= x
                        rem_m -= d
    for i in range(NCELL):
        if delta[i]:
            cur[i] += delta[i]
    for k, kd in kid_delta.items():
        arr = kid_surv[k]
        for i in range(NCELL):
            if kd[i]:
                arr[i] += kd[i]


def issue_layer(rng: Rng, lay: str, year: int, pool: array, parent_iss, county_pop, grad,
                from_layer_stock: bool = False) -> None:
    """Layer issuance in `year`, drawn from `pool` (the parent's persons not yet in the layer, or
    for 2010 the layer's own stock). Records the counts in issued[lay]."""
    t = year - 2010
    out_by_o = ISSUED_REF[lay]
    agew = age_weights(LAYERS[lay][4])
    if lay == "SPL":
        # foreign-trained physicians recognised as specialists when licensed (aged 35+)
        for o in ("EU", "TC"):
            src = parent_iss[o][t]
            out = out_by_o[o][t]
            for i in range(NCELL):
                n = src[i]
                if n and AGES[i % NA] >= 35:
                    k = rng.binomial(min(n, pool[i]), SPL_FOREIGN_PROB[o])
                    out[i] += k
                    pool[i] -= k
        nat = interp(SPL_SE_KNOTS, year) * (1 + 0.04 * rng.gauss())
        # distribute the national number over counties by the pool's age-weighted size
        wc = [sum(pool[idx(ci, s, ai)] * agew[ai] for s in (0, 1) for ai in range(NA)) for ci in range(NC)]
        tw = sum(wc)
        draw_from_pool(rng, pool, [nat * w / tw for w in wc], agew, out_by_o["SE"][t], LAYER_SEX[lay])
        return
    # SSSK, BMO: Swedish degrees = graduates of the programme (by region), settled like other grads
    targets = [0.0] * NC
    sent: dict[str, list[int]] = {}
    for r in R_CODES:
        if r in grad[lay] and year in grad[lay][r]:
            n = rng.binomial(grad[lay][r][year], LICENCE_UPTAKE)
            cat = settle_weights(r, county_pop[year])
            counts = rng.multinomial(n, [cat.cum[0]] + [b - a for a, b in zip(cat.cum, cat.cum[1:])])
            for ci, m in enumerate(counts):
                targets[ci] += m
            sent[r] = list(counts)
    se_out = out_by_o["SE"][t]
    before = cells_by_county(se_out)
    draw_from_pool(rng, pool, targets, agew, se_out, LAYER_SEX[lay])
    drawn = [a - b for a, b in zip(cells_by_county(se_out), before)]
    record_layer_destinations(lay, year, sent, drawn)
    eu, tc = LAYER_FOREIGN[lay]
    for o, lv in (("EU", eu), ("TC", tc)):
        n = max(0, round_half_up(lv * (1 + 0.1 * rng.gauss()))) if lv else 0
        if n:
            wc = [sum(pool[idx(ci, s, ai)] * agew[ai] * LAYER_SEX[lay][s] for s in (0, 1) for ai in range(NA))
                  for ci in range(NC)]
            tw = sum(wc)
            draw_from_pool(rng, pool, [n * w / tw for w in wc], agew, out_by_o[o][t], LAYER_SEX[lay])


ISSUED_REF: dict = {}  # issued tables by code (set in main; layers write into it)


def cells_by_county(arr: array) -> list[int]:
    """The cells of `arr` summed by county."""
    return [sum(arr[idx(ci, 0, 0):idx(ci, 0, 0) + 2 * NA]) for ci in range(NC)]


def record_layer_destinations(lay: str, year: int, sent: dict[str, list[int]], drawn: list[int]) -> None:
    """Counts a layer's Swedish degrees of `year` by region of education and county (no random
    number of its own): the persons drawn in county c are split over the regions whose graduates
    were sent there, in proportion to them, by largest remainder (ties to the first region)."""
    for ci, d in enumerate(drawn):
        weights = [(r, sent[r][ci]) for r in R_CODES if r in sent and sent[r][ci] > 0]
        total = sum(w for _, w in weights)
        if d <= 0 or total <= 0:
            continue
        parts = [(r, d * w // total, d * w % total) for r, w in weights]
        left = d - sum(q for _, q, _ in parts)
        order = sorted(range(len(parts)), key=lambda i: -parts[i][2])
        for k, (r, q, _) in enumerate(parts):
            extra = 1 if k in order[:left] else 0
            if q + extra:
                DESTINATIONS.setdefault((lay, r, year), [0] * NC)[ci] += q + extra


# ----------------------------------------------------------------------------------------------
# Employment
# ----------------------------------------------------------------------------------------------


EFFECTS: dict = {}  # drift world: county effects on employment share and FTE (set by draw_county_effects)


def draw_county_effects(rng: Rng) -> None:
    """Drift world: factors on the employment share, EFFECTS["emp"][p][c][t], and on FTE per
    employed person, EFFECTS["fte"][c][t], for t over EMP_YEARS (see the settings at the top)."""
    def ar1(sd: float, rho: float) -> list[float]:
        v = [rng.gauss() * sd / math.sqrt(1.0 - rho * rho)]
        for _ in EMP_YEARS[1:]:
            v.append(rho * v[-1] + sd * rng.gauss())
        return v

    u = [EMP_COUNTY_SD * rng.gauss() for _ in range(NC)]
    w = [FTE_COUNTY_SD * rng.gauss() for _ in range(NC)]
    v = [ar1(EMP_YEAR_SD, EMP_AR) for _ in range(NC)]
    z = [ar1(FTE_YEAR_SD, FTE_AR) for _ in range(NC)]
    upc = {p: [EMP_PROF_COUNTY_SD * rng.gauss() for _ in range(NC)] for p in PARENTS}
    EFFECTS["u"], EFFECTS["w"], EFFECTS["v"], EFFECTS["z"], EFFECTS["upc"] = u, w, v, z, upc
    EFFECTS["emp"] = {p: [[math.exp(u[ci] + upc[p][ci] + v[ci][t] + EMP_TREND * (y - 2010))
                           for t, y in enumerate(EMP_YEARS)] for ci in range(NC)] for p in PARENTS}
    EFFECTS["fte"] = [[math.exp(w[ci] + z[ci][t] + FTE_TREND * (y - 2010)) for t, y in enumerate(EMP_YEARS)]
                      for ci in range(NC)]


def simulate_employment(rng: Rng, stocks) -> dict[str, list[tuple[list[array], list[array]]]]:
    """Employed persons and FTE (tenths) by sector, for every code and EMP_YEARS; per code a list
    over years of ([emp R, K, P], [fte R, K, P]) flat arrays."""
    emp: dict[str, list] = {}
    children = {"LAK": ["SPL"], "SSK": ["SSSK", "BMO"]}
    if DRIFT:
        draw_county_effects(rng)
    for p in PARENTS:
        kids = children.get(p, [])
        emp[p] = []
        for k in kids:
            emp[k] = []
        for t, y in enumerate(EMP_YEARS):
            if DRIFT:
                ef = [EFFECTS["emp"][p][ci][t] for ci in range(NC)]
                hf = [EFFECTS["fte"][ci][t] for ci in range(NC)]
            e_arr = [array("i", bytes(4 * NCELL)) for _ in range(3)]
            f_arr = [array("i", bytes(4 * NCELL)) for _ in range(3)]
            ke = {k: [array("i", bytes(4 * NCELL)) for _ in range(3)] for k in kids}
            kf = {k: [array("i", bytes(4 * NCELL)) for _ in range(3)] for k in kids}
            L = stocks[p][t]
            for ci in range(NC):
                for s in (0, 1):
                    base = idx(ci, s, 0)
                    for ai in range(NA):
                        i = base + ai
                        n = L[i]
                        if n == 0:
                            continue
                        a = AGES[ai]
                        ep = employ_share(p, a)
                        if DRIFT:
                            ep = min(0.99, ep * ef[ci])
                        e = rng.binomial(n, ep)
                        if e == 0:
                            continue
                        pr, pk, pp = sector_probs(p, a)
                        nr = rng.binomial(e, pr)
                        nk = rng.binomial(e - nr, pk / (pk + pp))
                        parts = (nr, nk, e - nr - nk)
                        hs = []
                        for k in range(3):
                            h = fte_mean(p, s, a, k) * (1 + 0.03 * rng.gauss())
                            if DRIFT:
                                h *= hf[ci]
                            h = 0.2 if h < 0.2 else (1.0 if h > 1.0 else h)
                            hs.append(h)
                            e_arr[k][i] = parts[k]
                            f_arr[k][i] = round_half_up(parts[k] * h * 10)
                        for kid in kids:
                            K = stocks[kid][t][i]
                            if K == 0:
                                continue
                            rel = LAYERS[kid][2]
                            v = rng.binomial(K, min(1.0, e / n * rel))
                            lo, hi = max(0, e - (n - K)), min(K, e)
                            v = lo if v < lo else (hi if v > hi else v)
                            # split over sectors within the parent's sector counts
                            tilt = LAYERS[kid][3]
                            rem_l, rem_p = v, e
                            for k in range(3):
                                if k == 2:
                                    x = rem_l
                                else:
                                    npk = parts[k]
                                    q = min(1.0, npk / rem_p * tilt[k]) if rem_p else 0.0
                                    x = rng.binomial(rem_l, q)
                                    lo2 = max(0, rem_l - (rem_p - npk))
                                    hi2 = min(rem_l, npk)
                                    x = lo2 if x < lo2 else (hi2 if x > hi2 else x)
                                    rem_p -= npk
                                rem_l -= x
                                ke[kid][k][i] = x
                                kf[kid][k][i] = round_half_up(x * hs[k] * 10)
            emp[p].append((e_arr, f_arr))
            for kid in kids:
                emp[kid].append((ke[kid], kf[kid]))
    return emp


# ----------------------------------------------------------------------------------------------
# Care use, balance
# ----------------------------------------------------------------------------------------------

CARE_R = [(0, 3.0), (1, 1.6), (3, 1.0), (5, 0.55), (14, 0.55), (19, 0.6), (29, 0.65), (44, 0.8), (54, 1.0),
          (64, 1.35), (74, 2.0), (84, 3.0), (90, 3.6), (100, 3.6)]
CARE_K = [(0, 0.005), (19, 0.005), (20, 0.03), (49, 0.04), (64, 0.08), (65, 0.3), (70, 0.6), (75, 1.4),
          (80, 3.5), (85, 7.0), (90, 11.0), (95, 14.0), (100, 14.0)]
CARE_P = [(0, 0.6), (5, 0.7), (15, 0.7), (20, 1.0), (64, 1.15), (65, 1.4), (79, 1.4), (85, 1.3), (100, 1.1)]


def care_use(pop2023: list[list[float]]) -> list[tuple[str, int, int, float]]:
    rows = []
    for code, knots in (("R", CARE_R), ("K", CARE_K), ("P", CARE_P)):
        w = [[0.0] * 101, [0.0] * 101]
        for s in (0, 1):
            for a in range(101):
                v = interp(knots, a)
                if code == "R":
                    if s == 1:
                        v += 0.45 * math.exp(-0.5 * ((a - 31) / 6.0) ** 2)
                    elif a < 15:
                        v *= 1.05
                if code == "K" and s == 1 and a >= 80:
                    v *= 1.1
                if code == "P" and s == 1 and a >= 20:
                    v *= 1.1
                w[s][a] = v
        num = sum(w[s][a] * pop2023[s][a] for s in (0, 1) for a in range(101))
        den = sum(pop2023[s][a] for s in (0, 1) for a in range(101))
        for s in (0, 1):
            for a in range(101):
                rows.append((code, s + 1, a, w[s][a] * den / num))
    return rows


# Service areas (data/codes/services.csv): care use per person by sex and age for each, and the
# split of each profession's FTE over them. Maternity care is driven by births: its "use" is the
# population aged 0 at the end of the year (1 at age 0, nothing at any other age). Municipal health
# care follows the municipal sector's profile.
SERVICE_USE = {
    "PV": [(0, 1.3), (5, 0.6), (17, 0.55), (18, 0.7), (44, 0.8), (64, 1.05), (79, 1.7), (90, 2.2), (100, 2.2)],
    "SOM": [(0, 2.2), (1, 0.7), (5, 0.35), (17, 0.35), (40, 0.55), (50, 0.9), (65, 1.8), (75, 2.8), (85, 3.2),
            (100, 2.6)],
    "PSYK": [(0, 0.1), (11, 0.25), (15, 1.2), (20, 1.9), (29, 1.8), (44, 1.3), (64, 0.8), (79, 0.5), (100, 0.6)],
    "TV": [(0, 0.05), (2, 0.3), (3, 1.2), (19, 1.2), (20, 0.7), (29, 0.7), (30, 0.9), (64, 1.0), (84, 1.3),
           (90, 0.8), (100, 0.6)],
    "KHS": CARE_K,
}
# Share of a profession's FTE in region-run and private care by service; municipality-run care is
# municipal health care (KHS) throughout. Private care has more primary care (PV weight x 1.6).
STAFF_MIX = {
    "APO": {"SOM": 0.7, "PV": 0.2, "PSYK": 0.1}, "ATP": {"SOM": 0.45, "PSYK": 0.35, "PV": 0.2},
    "AUD": {"SOM": 0.6, "PV": 0.4}, "BMO": {"MOD": 0.85, "PV": 0.1, "SOM": 0.05},
    "BMA": {"SOM": 0.85, "PV": 0.1, "PSYK": 0.05}, "DIE": {"SOM": 0.6, "PV": 0.4},
    "FYS": {"PV": 0.55, "SOM": 0.4, "PSYK": 0.05}, "HSK": {"PSYK": 0.45, "SOM": 0.3, "PV": 0.25},
    "KIR": {"PV": 1.0}, "LOG": {"SOM": 0.55, "PV": 0.3, "PSYK": 0.15},
    "LAK": {"SOM": 0.58, "PV": 0.25, "PSYK": 0.12, "MOD": 0.05}, "NAP": {"PV": 1.0},
    "OPT": {"SOM": 0.7, "PV": 0.3}, "ORT": {"SOM": 1.0}, "PSY": {"PSYK": 0.6, "PV": 0.3, "SOM": 0.1},
    "PST": {"PSYK": 0.85, "PV": 0.15}, "REC": {"SOM": 0.8, "PV": 0.2}, "RSK": {"SOM": 0.95, "PV": 0.05},
    "SJF": {"SOM": 1.0}, "SSK": {"SOM": 0.62, "PV": 0.22, "PSYK": 0.1, "MOD": 0.06},
    "THY": {"TV": 1.0}, "TLK": {"TV": 0.95, "SOM": 0.05},
    "SPL": {"SOM": 0.62, "PV": 0.2, "PSYK": 0.13, "MOD": 0.05},
    "SSSK": {"SOM": 0.5, "PV": 0.3, "PSYK": 0.08, "MOD": 0.12},
}
S_CODES = [r["code"] for r in read_codes("services.csv")]


def service_use(pop2023: list[list[float]]) -> list[tuple[str, int, int, float]]:
    rows = []
    den = sum(pop2023[s][a] for s in (0, 1) for a in range(101))
    for code in S_CODES:
        if code == "MOD":
            w = [[1.0 if a == 0 else 0.0 for a in range(101)] for _ in (0, 1)]
        else:
            w = [[interp(SERVICE_USE[code], a) for a in range(101)] for _ in (0, 1)]
            for a in range(101):
                if code in ("PV", "PSYK") and 15 <= a <= 64:
                    w[1][a] *= 1.15  # women use more primary care and psychiatry in working ages
                if code == "KHS" and a >= 80:
                    w[1][a] *= 1.1
        num = sum(w[s][a] * pop2023[s][a] for s in (0, 1) for a in range(101))
        for s in (0, 1):
            for a in range(101):
                rows.append((code, s + 1, a, w[s][a] * den / num))
    return rows


def make_staffing(emp) -> list[tuple[str, str, str, str, int]]:
    """FTE (tenths) of the last employment year by profession, county, sector and service: each
    profession x county x sector's FTE split by STAFF_MIX with a county tilt (its own stream of
    random numbers, so that the other files do not change), the parts summing to the whole."""
    rng = Rng(SEED + 1)
    rows = []
    t = len(EMP_YEARS) - 1
    for p in P_CODES:
        for ci, c in enumerate(C_CODES):
            tilt = {sv: math.exp(0.15 * rng.gauss()) for sv in S_CODES}
            for k, sec in enumerate(("R", "K", "P")):
                total = sum(emp[p][t][1][k][idx(ci, s, ai)] for s in (0, 1) for ai in range(NA))
                if total == 0:
                    continue
                if sec == "K":
                    mix = {"KHS": 1.0}
                else:
                    mix = {sv: w * tilt[sv] * (1.6 if sec == "P" and sv == "PV" else 1.0)
                           for sv, w in STAFF_MIX[p].items()}
                codes = [sv for sv in S_CODES if sv in mix]
                parts = largest_remainder([mix[sv] * total / sum(mix.values()) for sv in codes], total)
                for sv, x in zip(codes, parts):
                    if x:
                        rows.append((p, c, sec, sv, x))
    return rows


def write_service_use(rows, manifest) -> None:
    write_semicolon_csv("service_use.csv", "verksamhetsområde;kön;ålder;vårdkonsumtion", use_lines(rows), manifest,
                        "Relativ vårdkonsumtion per person efter verksamhetsområde, kön och ålder",
                        "Relative care use per person by service area, sex and age")


def write_destinations(manifest) -> None:
    lines = ["%s;%s;%s;%d;%d" % (p, r, C_CODES[ci], y, n)
             for (p, r, y), counts in sorted(DESTINATIONS.items(),
                                             key=lambda kv: (P_CODES.index(kv[0][0]), R_CODES.index(kv[0][1]), kv[0][2]))
             for ci, n in enumerate(counts) if n]
    write_semicolon_csv("destinations.csv", "yrke;sjukvårdsregion;län;år;legitimationer", lines, manifest,
                        "Legitimationer på svensk utbildning efter yrke, lärosätets sjukvårdsregion, "
                        "län och år %d–%d" % (LIC_YEARS[0], LIC_YEARS[-1]),
                        "Licences on Swedish education by profession, health-care region of the "
                        "university, county and year %d–%d" % (LIC_YEARS[0], LIC_YEARS[-1]))


def write_staffing(rows, manifest) -> None:
    lines = ["%s;%s;%s;%s;%s" % (p, c, sec, sv, tenths(x).replace(".", ",")) for p, c, sec, sv, x in rows]
    write_semicolon_csv("staffing.csv", "yrke;län;huvudman;verksamhetsområde;heltidsekvivalenter", lines, manifest,
                        "Heltidsekvivalenter efter yrke, län, huvudman och verksamhetsområde %d" % EMP_YEARS[-1],
                        "Full-time equivalents by profession, county, sector and service area %d" % EMP_YEARS[-1])


# ----------------------------------------------------------------------------------------------
# Specialties of the specialist physicians (SPL) and specialist training (ST) starts
# ----------------------------------------------------------------------------------------------
#
# Made after everything else, from the finished SPL stocks and certificates, on a stream of its
# own (seed + 2), so no other file depends on it. Each specialist physician holds one specialty
# group (data/codes/specialties.csv); the groups add up to SPL in every cell and year exactly.

SPECIALTIES = [g for g in read_codes("specialties.csv") if g["layer"] == "SPL"]
SPEC_CODES = [g["code"] for g in SPECIALTIES]
# Specialist certificates held in 2013 by group (Läkartidningen 2014-09, from Socialstyrelsen's
# statistics): surgical 15 400, internal medicine 11 900, general practice 10 500, psychiatry
# 4 200, paediatrics 3 150. "Other" is the remainder to 57 300, the total that the surgical
# specialties' share of 2020 (> 18 000 of > 67 000 certificates, Socialstyrelsen) implies.
SPEC_MIX_2013 = {"ALM": 10500, "INT": 11900, "KIR": 15400, "PSYK": 4200, "BARN": 3150, "OVR": 12150}
# Relative weight of men and women in each group (assumption: surgery more men, paediatrics and
# general practice more women), and a slope by age (psychiatry older, general practice younger).
SPEC_SEX = {"ALM": (0.9, 1.1), "INT": (1.05, 0.95), "KIR": (1.3, 0.75), "PSYK": (1.0, 1.0),
            "BARN": (0.7, 1.3), "OVR": (1.0, 1.0)}
SPEC_AGE_SLOPE = {"ALM": -0.008, "INT": 0.0, "KIR": 0.0, "PSYK": 0.012, "BARN": 0.0, "OVR": 0.004}
ST_COMPLETION = 0.92  # ST starts that end in a certificate (assumption)
ST_START_YEARS = list(range(2004, BASE_YEAR + 1))
ALM_SHARE_GROWTH = 0.5  # general practice's share of ST starts grows by half from 2004 to 2023
SPEC_BANDS = [(25, 34), (35, 44), (45, 54), (55, 64), (65, 74)]


def spec_mix(year: int) -> list[float]:
    """The groups' shares of ST starts begun in `year` (general practice growing)."""
    f = (min(max(year, ST_START_YEARS[0]), BASE_YEAR) - ST_START_YEARS[0]) / (BASE_YEAR - ST_START_YEARS[0])
    w = [SPEC_MIX_2013[k] * (1 + ALM_SHARE_GROWTH * (f - 0.5) if k == "ALM" else 1.0) for k in SPEC_CODES]
    t = sum(w)
    return [x / t for x in w]


def stock_weights(s: int, a: int) -> list[float]:
    """The groups' relative weights among the 2010 specialists and foreign-trained ones."""
    return [SPEC_MIX_2013[k] * SPEC_SEX[k][s] * max(0.1, 1 + SPEC_AGE_SLOPE[k] * (a - 50)) for k in SPEC_CODES]


def make_st_starts(rng: Rng, county_pop) -> dict[tuple[str, str], dict[int, int]]:
    """ST starts by (group, health-care region) and year: the national certificates expected
    `training_years` later over the completion rate, by the year's mix and the region's population."""
    starts: dict[tuple[str, str], dict[int, int]] = {}
    for y in ST_START_YEARS:
        pop = county_pop[max(y, LIC_YEARS[0])]
        regpop = {r: sum(pop[i] for i in range(NC) if COUNTY_REGION[C_CODES[i]] == r) for r in R_CODES}
        tot = sum(regpop.values())
        mix = spec_mix(y)
        for ki, g in enumerate(SPECIALTIES):
            lag = int(g["training_years"])
            nat = interp(SPL_SE_KNOTS, y + lag) / ST_COMPLETION
            for r in R_CODES:
                n = nat * mix[ki] * regpop[r] / tot * (1 + 0.06 * rng.gauss())
                starts.setdefault((g["code"], r), {})[y] = max(0, round_half_up(n))
    return starts


def hypergeometric_split(rng: Rng, m: int, counts: list[int]) -> list[int]:
    """`m` persons drawn without replacement from groups of `counts` (sequential, clamped)."""
    out = [0] * len(counts)
    rest = sum(counts)
    for k, n in enumerate(counts):
        if m == 0:
            break
        if k == len(counts) - 1 or rest == n:
            out[k] = min(n, m)
        else:
            v = rng.binomial(m, n / rest)
            lo, hi = max(0, m - (rest - n)), min(n, m)
            out[k] = lo if v < lo else (hi if v > hi else v)
        m -= out[k]
        rest -= n
    return out


def simulate_specialties(rng: Rng, stocks, issued, starts, lay: str = "SPL") -> list[list[array]]:
    """Specialists of layer `lay` by group, `[year][group]` flat cell arrays that add up to the
    layer's stocks: the 2010 stock split by the groups' weights; each later year carries last
    year's groups along the cohort and assigns the year's certificates — Swedish ones by the
    starts `training_years` before in the county's health-care region, foreign ones by the stock
    weights."""
    groups, weights, sex, completion = LAYER_GROUPS[lay]
    K = len(groups)
    spl = stocks[lay]
    first = [array("i", bytes(4 * NCELL)) for _ in range(K)]
    for i in range(NCELL):
        n = spl[0][i]
        if n:
            s, a = (i // NA) % 2, AGES[i % NA]
            for k, v in enumerate(rng.multinomial(n, weights(s, a))):
                first[k][i] = v
    out = [first]
    for t in range(1, len(LIC_YEARS)):
        year = LIC_YEARS[t]
        prev = out[-1]
        cur = [array("i", bytes(4 * NCELL)) for _ in range(K)]
        for i in range(NCELL):
            total = spl[t][i]
            if total == 0:
                continue
            ci, s, ai = i // (2 * NA), (i // NA) % 2, i % NA
            se, eu, tc = (issued[lay][o][t][i] for o in ("SE", "EU", "TC"))
            carried = total - se - eu - tc
            before = [prev[k][i - 1] for k in range(K)] if ai > 0 else [0] * K
            nb = sum(before)
            parts = hypergeometric_split(rng, min(carried, nb), before)
            if carried > nb:  # more carried than last year's cell held (moves): by the weights
                parts = [x + y for x, y in zip(parts, rng.multinomial(carried - nb, weights(s, AGES[ai])))]
            r = COUNTY_REGION[C_CODES[ci]]
            w_se = [starts[(g["code"], r)].get(year - group_lag(g), 0) * completion * sex[g["code"]][s]
                    for g in groups]
            for k, v in enumerate(rng.multinomial(se, w_se)):
                parts[k] += v
            for k, v in enumerate(rng.multinomial(eu + tc, weights(s, AGES[ai]))):
                parts[k] += v
            assert sum(parts) == total, "specialty groups must add up to their layer"
            for k in range(K):
                cur[k][i] = parts[k]
        out.append(cur)
    return out


def group_lag(g: dict[str, str]) -> int:
    """A group's training length in whole years (as the model rounds it)."""
    return int(float(g["training_years"]) + 0.5)


# ----------------------------------------------------------------------------------------------
# Specialisations of the specialist nurses (SSSK) and the programme's beginners by specialisation
# ----------------------------------------------------------------------------------------------
#
# Made after the physicians' specialties, on a stream of its own (seed + 3). The beginners of the
# specialist-nurse programme in admissions.csv are split over the specialisations (so each
# region's beginners by specialisation add up to its beginners there exactly); each specialist
# nurse holds one specialisation, and the specialisations add up to SSSK in every cell and year.

NURSE_SPECS = [g for g in read_codes("specialties.csv") if g["layer"] == "SSSK"]
NURSE_CODES = [g["code"] for g in NURSE_SPECS]
# Employed specialist nurses by specialisation, about 2014. Public: about 48 000 in all
# (Socialstyrelsen 2016-11-2, as Vårdfokus 2016-11-03 reports it), about 8 200 with medical or
# surgical care (Vårdfokus 2018-11, from Socialstyrelsen's data), anaesthesia and intensive care
# together the second-largest group (the 2014 report as summarised). The split of the rest is an
# assumption: district nursing the largest group, then anaesthesia, intensive care, psychiatric
# and operating-theatre care, paediatric care and the other specialisations (ambulance, oncology,
# care of older people).
NURSE_MIX_2014 = {"DSK": 13000, "ANE": 5800, "IVA": 5200, "OPS": 4200, "PSV": 4600, "BUV": 3300,
                  "MKV": 8200, "OVS": 3700}
# Relative weight of men and women (about 11 % men in all: 5 500 of 48 000 in 2014; assumption:
# more men in anaesthesia, intensive, psychiatric and ambulance care, fewer in district nursing and
# paediatric care) and a slope by age (district and medical/surgical nurses older: two thirds of
# district nurses reach retirement age 2010–2025, Arbetsförmedlingen via Vårdfokus 2010-11-03;
# paediatric and the newer specialisations younger).
NURSE_SEX = {"DSK": (0.5, 1.05), "ANE": (1.5, 0.95), "IVA": (1.4, 0.95), "OPS": (0.9, 1.0),
             "PSV": (1.8, 0.92), "BUV": (0.3, 1.08), "MKV": (0.8, 1.02), "OVS": (2.0, 0.9)}
NURSE_AGE_SLOPE = {"DSK": 0.015, "ANE": 0.0, "IVA": 0.0, "OPS": 0.004, "PSV": 0.006, "BUV": -0.006,
                   "MKV": 0.02, "OVS": -0.012}
# The specialisations' shares of the beginners in 2014 (per cent), and the relative change of the
# share from 2004 to 2023 (assumptions in the direction the public figures give: medical and
# surgical care −38 % per 100 000 inhabitants 2009–2014 and about −68 % from 1995, ambulance care
# +79 % 2009–2014, paediatric care +16 % 2006–2011; Socialstyrelsen 2013-11-38 and 2016-11-2 as
# Vårdfokus and Läkartidningen report them): groups whose share of the beginners is below their
# share of the stock shrink.
NURSE_START_MIX_2014 = {"DSK": 26, "ANE": 13, "IVA": 11, "OPS": 9, "PSV": 9, "BUV": 8, "MKV": 9, "OVS": 15}
NURSE_TREND = {"DSK": 0.0, "ANE": 0.1, "IVA": 0.1, "OPS": 0.0, "PSV": -0.1, "BUV": 0.2, "MKV": -0.6,
               "OVS": 0.4}


def nurse_mix(year: int) -> list[float]:
    """The specialisations' shares of the programme's beginners in `year`."""
    f = (min(max(year, ST_START_YEARS[0]), BASE_YEAR) - ST_START_YEARS[0]) / (BASE_YEAR - ST_START_YEARS[0])
    w = [NURSE_START_MIX_2014[k] * (1 + NURSE_TREND[k] * (f - 0.5)) for k in NURSE_CODES]
    t = sum(w)
    return [x / t for x in w]


def nurse_weights(s: int, a: int) -> list[float]:
    """The specialisations' relative weights among the 2010 specialist nurses and foreign-trained ones."""
    return [NURSE_MIX_2014[k] * NURSE_SEX[k][s] * max(0.1, 1 + NURSE_AGE_SLOPE[k] * (a - 50))
            for k in NURSE_CODES]


def make_nurse_starts(rng: Rng, beg) -> dict[tuple[str, str], dict[int, int]]:
    """Beginners of the specialist-nurse programme by (specialisation, health-care region) and year:
    each region's beginners of admissions.csv split by the year's mix."""
    starts: dict[tuple[str, str], dict[int, int]] = {}
    for y in ST_START_YEARS:
        mix = nurse_mix(y)
        for r in R_CODES:
            n = beg["SSSK"].get(r, {}).get(y, 0)
            for k, v in enumerate(rng.multinomial(n, mix)):
                starts.setdefault((NURSE_CODES[k], r), {})[y] = v
    return starts


# Per layer: its groups, their stock weights, their weights by sex, and the share of starts that
# end in a certificate (the same for every group of a layer, so it cancels in the split; the
# nurses' Swedish degrees are the programme's graduates already).
LAYER_GROUPS = {"SPL": (SPECIALTIES, stock_weights, SPEC_SEX, ST_COMPLETION),
                "SSSK": (NURSE_SPECS, nurse_weights, NURSE_SEX, 1.0)}
SPEC_FIGURES: dict = {}  # achieved figures for README (set by write_specialties)
ST_YEARS_TEXT = "/".join(sorted({g["training_years"] for g in SPECIALTIES}))


def write_specialties(layers, manifest) -> None:
    """`layers`: (layer, groups, `[year][group]` cells, starts) for SPL, then SSSK."""
    def achieved(specs, codes, year: int, mix, code: str, total: str, share: str, first: str, last: str) -> None:
        """The layer's count and mix in `year`, and group `code`'s share of the starts' mix at
        the ends of the start years, into SPEC_FIGURES under the keys given."""
        t = LIC_YEARS.index(year)
        by = [sum(specs[t][k]) for k in range(len(codes))]
        SPEC_FIGURES[total] = sum(by)
        SPEC_FIGURES[share] = "; ".join(pct(n / sum(by)) for n in by)
        k = codes.index(code)
        SPEC_FIGURES[first] = mix(ST_START_YEARS[0])[k]
        SPEC_FIGURES[last] = mix(ST_START_YEARS[-1])[k]

    achieved(layers[0][2], SPEC_CODES, 2013, spec_mix, "ALM", "total2013", "mix2013", "alm_first", "alm_last")
    achieved(layers[1][2], NURSE_CODES, 2014, nurse_mix, "MKV", "nurses2014", "nursemix2014", "mkv_first",
             "mkv_last")
    lines = []
    for _, codes, specs, _ in layers:
        for k, code in enumerate(codes):
            for ci, c in enumerate(C_CODES):
                for s in (0, 1):
                    for lo, hi in SPEC_BANDS:
                        for t, y in enumerate(LIC_YEARS):
                            n = sum(specs[t][k][idx(ci, s, ai)] for ai in range(NA) if lo <= AGES[ai] <= hi)
                            lines.append("%s;%s;%d;%d-%d;%d;%d" % (code, c, s + 1, lo, hi, y, n))
    write_semicolon_csv("specialists.csv", "specialitet;län;kön;ålder;år;specialister", lines, manifest,
                        "Specialistläkare efter specialitetsgrupp och specialistsjuksköterskor efter "
                        "inriktning, län, kön, ålder och år %d–%d" % (LIC_YEARS[0], LIC_YEARS[-1]),
                        "Specialist physicians by specialty group and specialist nurses by "
                        "specialisation, county, sex, age and year %d–%d" % (LIC_YEARS[0], LIC_YEARS[-1]))
    lines = ["%s;%s;%d;%d" % (code, r, y, starts[(code, r)][y])
             for _, codes, _, starts in layers for code in codes for r in R_CODES for y in ST_START_YEARS]
    write_semicolon_csv("st_starts.csv", "specialitet;sjukvårdsregion;år;påbörjade", lines, manifest,
                        "Påbörjade specialiseringstjänstgöringar (ST) efter specialitetsgrupp och "
                        "nybörjare på specialistsjuksköterskeprogrammet efter inriktning, "
                        "sjukvårdsregion och år %d–%d" % (ST_START_YEARS[0], ST_START_YEARS[-1]),
                        "Specialist training (ST) starts by specialty group and beginners of the "
                        "specialist-nurse programme by specialisation, health-care region and "
                        "year %d–%d" % (ST_START_YEARS[0], ST_START_YEARS[-1]))


def make_balance(rng: Rng) -> list[tuple]:
    rows = []
    for c in C_CODES:
        rural = c in RURAL_COUNTIES
        for sector, table, n_units in (("R", BALANCE_R, 1), ("K", BALANCE_K, MUNICIPALITIES[c])):
            for p in P_CODES:
                if p not in table:
                    continue
                pb, ps = table[p]
                pb = min(0.99, pb * (1.12 if rural else (0.92 if c == "01" else 1.0)))
                ps = ps * (0.3 if rural else 1.0)
                counts = rng.multinomial(n_units, [pb, max(0.0, 1 - pb - ps), ps])
                for ans, n in zip(("brist", "balans", "överskott"), counts):
                    if n:
                        rows.append((BASE_YEAR, c, p, sector, ans, n))
    return rows


# ----------------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------------


def q(s: str) -> str:
    return '"%s"' % s


def px_kw(key: str, tokens: list[str], width: int = 200) -> list[str]:
    """KEY=tok,tok,...; wrapped after commas so lines stay short."""
    lines, line = [], key + "="
    for i, t in enumerate(tokens):
        piece = t + ("," if i < len(tokens) - 1 else ";")
        if len(line) + len(piece) > width and not line.endswith("="):
            lines.append(line)
            line = piece
        else:
            line += piece
    lines.append(line)
    return lines


class Var:
    def __init__(self, sv, en, code, codes, vals_sv, vals_en, time=False):
        self.sv, self.en, self.code = sv, en, code
        self.codes, self.vals_sv, self.vals_en, self.time = codes, vals_sv, vals_en, time


def px_header(matrix, subject_code, subject_sv, subject_en, title_sv, title_en, contents_sv, contents_en,
              units_sv, units_en, decimals, stub, heading, stockfa, contvar=None, cont_units=None,
              keys=None) -> list[str]:
    L = ['CHARSET="ANSI";', 'AXIS-VERSION="2013";', 'CODEPAGE="windows-1252";', 'LANGUAGE="sv";',
         'LANGUAGES="sv","en";', 'CREATION-DATE="%s";' % CREATION_DATE, "DECIMALS=%d;" % decimals]
    if decimals == 0:
        L.append("SHOWDECIMALS=0;")
    L += ['MATRIX="%s";' % matrix, 'SUBJECT-CODE="%s";' % subject_code,
          'SUBJECT-AREA="%s";' % subject_sv, 'SUBJECT-AREA[en]="%s";' % subject_en,
          'TITLE="%s";' % title_sv, 'TITLE[en]="%s";' % title_en,
          'CONTENTS="%s";' % contents_sv, 'CONTENTS[en]="%s";' % contents_en,
          'UNITS="%s";' % units_sv, 'UNITS[en]="%s";' % units_en]
    L += px_kw("STUB", [q(v.sv) for v in stub]) + px_kw("STUB[en]", [q(v.en) for v in stub])
    L += px_kw("HEADING", [q(v.sv) for v in heading]) + px_kw("HEADING[en]", [q(v.en) for v in heading])
    if contvar:
        L += ['CONTVARIABLE="%s";' % contvar.sv, 'CONTVARIABLE[en]="%s";' % contvar.en]
    allv = stub + heading
    for v in allv:
        L += px_kw('VALUES("%s")' % v.sv, [q(x) for x in v.vals_sv])
        L += px_kw('VALUES[en]("%s")' % v.en, [q(x) for x in v.vals_en])
    for v in allv:
        if v.time:
            L += px_kw('TIMEVAL("%s")' % v.sv, ["TLIST(A1)"] + [q(x) for x in v.codes])
            L += px_kw('TIMEVAL[en]("%s")' % v.en, ["TLIST(A1)"] + [q(x) for x in v.codes])
    for v in allv:
        L += px_kw('CODES("%s")' % v.sv, [q(x) for x in v.codes])
        L += px_kw('CODES[en]("%s")' % v.en, [q(x) for x in v.codes])
    for v in allv:
        L += ['VARIABLE-CODE("%s")="%s";' % (v.sv, v.code), 'VARIABLE-CODE[en]("%s")="%s";' % (v.en, v.code)]
    if contvar:
        for k in range(len(contvar.codes)):
            u_sv, u_en = cont_units[k]
            L += ['UNITS("%s")="%s";' % (contvar.vals_sv[k], u_sv),
                  'UNITS[en]("%s")="%s";' % (contvar.vals_en[k], u_en),
                  'LAST-UPDATED("%s")="%s";' % (contvar.vals_sv[k], CREATION_DATE),
                  'LAST-UPDATED[en]("%s")="%s";' % (contvar.vals_en[k], CREATION_DATE),
                  'STOCKFA("%s")="%s";' % (contvar.vals_sv[k], stockfa),
                  'STOCKFA[en]("%s")="%s";' % (contvar.vals_en[k], stockfa)]
    else:
        L += ['LAST-UPDATED="%s";' % CREATION_DATE, 'STOCKFA="%s";' % stockfa]
    L += ['SOURCE="%s";' % SOURCE_SV, 'SOURCE[en]="%s";' % SOURCE_EN]
    L += px_kw("NOTE", [q(NOTE_SV)], 100000) + px_kw("NOTE[en]", [q(NOTE_EN)], 100000)
    if keys:
        for v, how in keys:
            L.append('KEYS("%s")=%s;' % (v.sv, how))
    L.append("DATA=")
    return L


def px_bytes(header: list[str], rows: list[str]) -> bytes:
    return ("\r\n".join(header + rows + [";"]) + "\r\n").encode("cp1252")


def write(name: str, data: bytes, manifest: list, fmt: str, title_sv: str, title_en: str, **counts) -> None:
    with open(os.path.join(OUT_DIR, name), "wb") as f:
        f.write(data)
    manifest.append(dict(name=name, format=fmt, title_sv=title_sv, title_en=title_en,
                         sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), **counts))


def variables():
    prof = Var("yrke", "profession", "profession", P_CODES, [PROF[p]["name_sv"] for p in P_CODES],
               [PROF[p]["name_en"] for p in P_CODES])
    county = Var("län", "county", "county", C_CODES, [c["name_sv"] for c in COUNTIES],
                 [c["name_en"] for c in COUNTIES])
    sex = Var("kön", "sex", "sex", ["1", "2"], ["män", "kvinnor"], ["men", "women"])
    age = Var("ålder", "age", "age", [str(a) for a in AGES], [str(a) for a in AGES], [str(a) for a in AGES])
    sector = Var("huvudman", "sector", "sector", [s["code"] for s in SECTORS], [s["name_sv"] for s in SECTORS],
                 [s["name_en"] for s in SECTORS])
    origin = Var("utbildningsland", "country of education", "education_country", [o[0] for o in ORIGINS],
                 [o[1] for o in ORIGINS], [o[2] for o in ORIGINS])
    return prof, county, sex, age, sector, origin


def year_var(years):
    ys = [str(y) for y in years]
    return Var("år", "year", "year", ys, ys, ys, time=True)


def write_licensed(stocks, manifest) -> None:
    prof, county, sex, age, _, _ = variables()
    rows = []
    for p in P_CODES:
        for ci, c in enumerate(C_CODES):
            for s in (0, 1):
                for ai, a in enumerate(AGES):
                    i = idx(ci, s, ai)
                    vals = [stocks[p][t][i] for t in range(len(LIC_YEARS))]
                    if any(vals):
                        rows.append('"%s","%s","%d","%d",%s' % (p, c, s + 1, a, " ".join(map(str, vals))))
    hdr = px_header("HWF_LEG", "HS", "Hälso- och sjukvårdspersonal", "Health care personnel",
                    "Legitimerade (folkbokförda i Sverige) efter yrke, län, kön, ålder och år",
                    "Licensed persons (resident in Sweden) by profession, county, sex, age and year",
                    "Legitimerade", "Licensed persons", "antal", "persons", 0,
                    [prof, county, sex, age], [year_var(LIC_YEARS)], "S",
                    keys=[(prof, "CODES"), (county, "CODES"), (sex, "CODES"), (age, "VALUES")])
    write("licensed.px", px_bytes(hdr, rows), manifest, "px", "Legitimerade efter yrke, län, kön, ålder och år",
          "Licensed persons by profession, county, sex, age and year", rows=len(rows),
          cells=len(rows) * len(LIC_YEARS))


def write_employed(emp, manifest) -> None:
    prof, county, sex, age, sector, _ = variables()
    cont = Var("tabellinnehåll", "contents", "contents", ["EMP", "FTE"], ["Anställda", "Heltidsekvivalenter"],
               ["Employed persons", "Full-time equivalents"])
    rows = []
    for p in P_CODES:
        for ci, c in enumerate(C_CODES):
            for k, sec in enumerate(sector.codes):
                for s in (0, 1):
                    for ai, a in enumerate(AGES):
                        i = idx(ci, s, ai)
                        ev = [emp[p][t][0][k][i] for t in range(len(EMP_YEARS))]
                        if not any(ev):
                            continue
                        fv = [emp[p][t][1][k][i] for t in range(len(EMP_YEARS))]
                        rows.append('"%s","%s","%s","%d","%d",%s %s' % (
                            p, c, sec, s + 1, a, " ".join(map(str, ev)), " ".join(tenths(v) for v in fv)))
    hdr = px_header("HWF_ANST", "HS", "Hälso- och sjukvårdspersonal", "Health care personnel",
                    "Anställda inom hälso- och sjukvården efter yrke, län, huvudman, kön, ålder, tabellinnehåll och år",
                    "Employed in health care by profession, county, sector, sex, age, contents and year",
                    "Anställda inom hälso- och sjukvården", "Employed in health care", "antal", "persons", 1,
                    [prof, county, sector, sex, age], [cont, year_var(EMP_YEARS)], "S", contvar=cont,
                    cont_units=[("antal", "persons"), ("heltidsekvivalenter", "full-time equivalents")],
                    keys=[(prof, "CODES"), (county, "CODES"), (sector, "CODES"), (sex, "CODES"), (age, "VALUES")])
    write("employed.px", px_bytes(hdr, rows), manifest, "px",
          "Anställda och heltidsekvivalenter inom hälso- och sjukvården",
          "Employed persons and full-time equivalents in health care", rows=len(rows),
          cells=len(rows) * 2 * len(EMP_YEARS))


def write_issued(issued, manifest) -> None:
    prof, county, sex, age, _, origin = variables()
    rows = []
    for p in P_CODES:
        for ci, c in enumerate(C_CODES):
            for o in origin.codes:
                for s in (0, 1):
                    for ai, a in enumerate(AGES):
                        i = idx(ci, s, ai)
                        vals = [issued[p][o][t][i] for t in range(len(LIC_YEARS))]
                        if any(vals):
                            rows.append('"%s","%s","%s","%d","%d",%s' % (p, c, o, s + 1, a, " ".join(map(str, vals))))
    hdr = px_header("HWF_UTF", "HS", "Hälso- och sjukvårdspersonal", "Health care personnel",
                    "Utfärdade legitimationer, specialistbevis (SPL) och specialistsjuksköterskeexamina (SSSK) "
                    "efter yrke, län, utbildningsland, kön, ålder och år",
                    "Licences issued, specialist certificates (SPL) and specialist-nurse degrees (SSSK) "
                    "by profession, county, country of education, sex, age and year",
                    "Utfärdade legitimationer", "Licences issued", "antal", "persons", 0,
                    [prof, county, origin, sex, age], [year_var(LIC_YEARS)], "F",
                    keys=[(prof, "CODES"), (county, "CODES"), (origin, "CODES"), (sex, "CODES"), (age, "VALUES")])
    write("licences_issued.px", px_bytes(hdr, rows), manifest, "px",
          "Utfärdade legitimationer efter yrke, län, utbildningsland, kön, ålder och år",
          "Licences issued by profession, county, country of education, sex, age and year",
          rows=len(rows), cells=len(rows) * len(LIC_YEARS))


def write_population(name, years, cpop, manifest, projection=False) -> None:
    _, county, sex, _, _, _ = variables()
    ages = [str(a) for a in POP_AGES]
    age = Var("ålder", "age", "age", ages, ages[:-1] + ["100+"], ages[:-1] + ["100+"])
    rows = []
    for ci in range(NC):
        for s in (0, 1):
            for a in POP_AGES:
                rows.append(" ".join(str(cpop[y][ci][s][a]) for y in years))
    if projection:
        t_sv = "Framskriven folkmängd 31 december efter län, kön, ålder och år"
        t_en = "Projected population 31 December by county, sex, age and year"
    else:
        t_sv = "Folkmängd 31 december efter län, kön, ålder och år"
        t_en = "Population 31 December by county, sex, age and year"
    hdr = px_header("HWF_BEFPROG" if projection else "HWF_BEF", "BE", "Befolkning", "Population", t_sv, t_en,
                    "Folkmängd", "Population", "antal", "persons", 0, [county, sex, age], [year_var(years)], "S")
    write(name, px_bytes(hdr, rows), manifest, "px", t_sv, t_en, rows=len(rows), cells=len(rows) * len(years))


# Municipal health care per municipality (the scenario data/scenarios/municipal.toml): each
# county's municipal-sector employed of the last employment year, by profession, sex and age band,
# split over its municipalities, and each county's population 2023-2045 by sex and five-year band
# split likewise, integer-exact (the municipalities add up to the county's cells). Smaller
# municipalities of a county get older staff and an older, faster-ageing population.
MUNI_BANDS = [(20, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 64), (65, 74)]
MUNI_POP_BANDS = [(a, a + 4) for a in range(0, 90, 5)] + [(90, 100)]
MUNI_YEAR = EMP_YEARS[-1]
MUNI_POP_YEARS = list(range(BASE_YEAR, PROJ_YEARS[-1] + 1))


def municipalities_by_county() -> dict[str, list[tuple[str, str, int, float]]]:
    """Per county: (code, name, population 2019, rurality 0..1) of its municipalities."""
    pops = {}
    with open(os.path.join(ROOT, "data", "allocation", "population_municipality.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["år"] == "2019":
                pops[r["kommun"]] = int(r["folkmängd"])
    out: dict[str, list] = {c: [] for c in C_CODES}
    for m in read_codes("municipalities.csv"):
        out[m["county"]].append((m["code"], m["name_sv"], pops[m["code"]]))
    return {c: [(code, name, n, 1.0 - (n / max(x[2] for x in ms)) ** 0.5) for code, name, n in ms]
            for c, ms in out.items()}


def band_label(lo: int, hi: int) -> str:
    return "%d+" % lo if hi >= 100 else "%d-%d" % (lo, hi)


def write_municipal(rng: Rng, emp, cpop, manifest) -> None:
    munis = municipalities_by_county()
    k = [s["code"] for s in SECTORS].index("K")
    t = EMP_YEARS.index(MUNI_YEAR)
    total = {p: sum(sum(emp[p][t][0][kk]) for kk in range(len(SECTORS))) for p in P_CODES}
    profs = [p for p in P_CODES if total[p] > 0 and sum(emp[p][t][0][k]) >= 0.05 * total[p]]
    lines = []
    split: dict[tuple, list[int]] = {}
    for ci, c in enumerate(C_CODES):
        ms = munis[c]
        for p in profs:
            noise = [math.exp(0.2 * rng.gauss()) for _ in ms]
            for s in (0, 1):
                for lo, hi in MUNI_BANDS:
                    n = sum(emp[p][t][0][k][idx(ci, s, a - AGES[0])] for a in range(lo, hi + 1))
                    mid = (lo + hi) / 2
                    w = [m[2] * (1 + 0.5 * m[3] * (mid - 42) / 22) * z for m, z in zip(ms, noise)]
                    split[(c, p, s, lo)] = largest_remainder([n * x / sum(w) for x in w], n)
    for ci, c in enumerate(C_CODES):
        for mi, m in enumerate(munis[c]):
            for p in profs:
                for s in (0, 1):
                    for lo, hi in MUNI_BANDS:
                        lines.append("%s;%s;%d;%s;%d;%d" % (m[0], p, s + 1, band_label(lo, hi), MUNI_YEAR,
                                                            split[(c, p, s, lo)][mi]))
    # Not embedded in hwf, so the file says itself that it is synthetic (a title line above the header).
    title = ("Syntetiska data (synthetic data): anställda inom kommunal hälso- och sjukvård - "
             "scripts/gen_default_data.py - inga observerade uppgifter")
    data = b"\xef\xbb\xbf" + ("\r\n".join([title, "kommun;yrke;kön;ålder;år;anställda"] + lines) + "\r\n").encode("utf-8")
    write("municipal_employed.csv", data, manifest, "csv",
          "Anställda inom kommunal hälso- och sjukvård efter kommun, yrke, kön, ålder och år",
          "Employed in municipal health care by municipality, profession, sex, age and year", rows=len(lines))
    rows = []
    codes, names = [], []
    pop: dict[tuple, list[int]] = {}
    for ci, c in enumerate(C_CODES):
        ms = munis[c]
        codes += [m[0] for m in ms]
        names += [m[1] for m in ms]
        for y in MUNI_POP_YEARS:
            for s in (0, 1):
                for lo, hi in MUNI_POP_BANDS:
                    n = sum(cpop[y][ci][s][a] for a in range(lo, hi + 1))
                    mid = (lo + hi) / 2
                    w = [m[2] * (1 + 0.6 * m[3] * (mid - 40) / 50 * (1 + 0.03 * (y - BASE_YEAR))) for m in ms]
                    pop[(c, y, s, lo)] = largest_remainder([n * x / sum(w) for x in w], n)
    for ci, c in enumerate(C_CODES):
        for mi, m in enumerate(munis[c]):
            for s in (0, 1):
                for lo, hi in MUNI_POP_BANDS:
                    rows.append(" ".join(str(pop[(c, y, s, lo)][mi]) for y in MUNI_POP_YEARS))
    muni = Var("kommun", "municipality", "municipality", codes, names, names)
    _, _, sex, _, _, _ = variables()
    bands = [band_label(lo, hi) for lo, hi in MUNI_POP_BANDS]
    age = Var("ålder", "age", "age", bands, bands, bands)
    t_sv = "Folkmängd 31 december efter kommun, kön, ålder och år (framskrivning från 2024)"
    t_en = "Population 31 December by municipality, sex, age and year (projected from 2024)"
    hdr = px_header("HWF_BEFKOM", "BE", "Befolkning", "Population", t_sv, t_en, "Folkmängd", "Population",
                    "antal", "persons", 0, [muni, sex, age], [year_var(MUNI_POP_YEARS)], "S")
    write("municipal_population.px", px_bytes(hdr, rows), manifest, "px", t_sv, t_en, rows=len(rows),
          cells=len(rows) * len(MUNI_POP_YEARS))


def write_admissions(beg, grad, manifest) -> list[str]:
    lines = [";".join(["Utbildning", "Sjukvårdsregion", "Uppgift"] + [str(y) for y in ADM_YEARS])]
    for p in P_CODES:
        if p not in beg:
            continue
        lag = prog_lag(p)
        for r in R_CODES:
            if r not in beg[p]:
                continue
            b, g = beg[p][r], grad[p][r]
            lines.append(";".join([p, r, "nybörjare"] + [str(b[y]) for y in ADM_YEARS]))
            lines.append(";".join([p, r, "examinerade"] + [str(g[y]) for y in ADM_YEARS]))
            rates = []
            for y in ADM_YEARS:
                d = y - lag
                if d < ADM_YEARS[0] or b[d] == 0:
                    rates.append("..")
                else:
                    t = (2000 * g[y] + b[d]) // (2 * b[d])  # tenths of a percent, half up
                    rates.append("%d,%d" % (t // 10, t % 10))
            lines.append(";".join([p, r, "examensfrekvens"] + rates))
    if DRIFT:
        lines.insert(0, CSV_TITLE_DRIFT)
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    write("admissions.csv", data, manifest, "csv", "Nybörjare, examinerade och examensfrekvens per utbildning och sjukvårdsregion",
          "Beginners, graduates and completion rate by programme and health-care region", rows=len(lines) - 1 - int(DRIFT))  # the title line is not a row
    return lines


def write_semicolon_csv(name, header, lines, manifest, title_sv, title_en) -> None:
    """A UTF-8 CSV with BOM, ';' and CRLF (decimal comma in its values), with the drift world's title
    line above the header (the title line is not a row)."""
    lines = [header] + lines
    if DRIFT:
        lines.insert(0, CSV_TITLE_DRIFT)
    data = b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8")
    write(name, data, manifest, "csv", title_sv, title_en, rows=len(lines) - 1 - int(DRIFT))


def use_lines(rows) -> list[str]:
    return ["%s;%d;%d;%s" % (code, s, a, ("%.4f" % v).replace(".", ",")) for code, s, a, v in rows]


def write_care_use(rows, manifest) -> None:
    write_semicolon_csv("care_use.csv", "huvudman;kön;ålder;vårdkonsumtion", use_lines(rows), manifest,
                        "Relativ vårdkonsumtion per person efter huvudman, kön och ålder",
                        "Relative care use per person by sector, sex and age")


def write_balance(rows, manifest) -> None:
    lines = ["år,län,yrke,huvudman,bedömning,antal"] + [",".join(map(str, r)) for r in rows]
    if DRIFT:
        lines.insert(0, CSV_TITLE_DRIFT)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write("balance.csv", data, manifest, "csv", "Huvudmännens bedömning av tillgång och efterfrågan 2023",
          "The principals' assessment of supply and demand 2023", rows=len(lines) - 1 - int(DRIFT))  # the title line is not a row


def write_manifest(manifest) -> None:
    if DRIFT:
        out = ['# The second world of hwf: SYNTHETIC data made by scripts/gen_default_data.py --world drift.',
               'generator = "scripts/gen_default_data.py --world drift"', "seed = %d" % SEED,
               "base_year = %d" % BASE_YEAR, "synthetic = true", ""]
    else:
        out = ['# The default data set of hwf: SYNTHETIC data made by scripts/gen_default_data.py.',
               'generator = "scripts/gen_default_data.py"', "seed = %d" % SEED, "base_year = %d" % BASE_YEAR,
               "synthetic = true", ""]
    for m in manifest:
        out.append("[[file]]")
        out.append('name = "%s"' % m["name"])
        out.append('format = "%s"' % m["format"])
        out.append('title_sv = "%s"' % m["title_sv"])
        out.append('title_en = "%s"' % m["title_en"])
        out.append("synthetic = true")
        out.append('sha256 = "%s"' % m["sha256"])
        out.append("bytes = %d" % m["bytes"])
        out.append("rows = %d" % m["rows"])
        if "cells" in m:
            out.append("cells = %d" % m["cells"])
        out.append("")
    with open(os.path.join(OUT_DIR, "manifest.toml"), "wb") as f:
        f.write("\n".join(out).encode("utf-8"))


# ----------------------------------------------------------------------------------------------
# Achieved figures and README
# ----------------------------------------------------------------------------------------------


def fmt(n: float) -> str:
    """Thousands with a thin-space-like separator (a plain space)."""
    return "{:,}".format(int(round(n))).replace(",", " ")


def pct(x: float) -> str:
    return ("%.1f %%" % (100 * x))


def achieved(stocks, emp, issued, beg, cpop, pops, balance_rows):
    ty = EMP_YEARS.index(2020)
    out = {}
    per_prof = {}
    tot = women = 0
    for p in P_CODES:
        e_m = e_w = 0
        for k in range(3):
            arr = emp[p][ty][0][k]
            for ci in range(NC):
                e_m += sum(arr[idx(ci, 0, 0):idx(ci, 0, 0) + NA])
                e_w += sum(arr[idx(ci, 1, 0):idx(ci, 1, 0) + NA])
        per_prof[p] = (e_m + e_w, e_w)
        if p in PARENTS:
            tot += e_m + e_w
            women += e_w
    out["emp2020"] = tot
    out["women2020"] = women / tot
    out["per_prof"] = per_prof
    # licences issued 2020 (licensed professions, not SPL/SSSK)
    t20 = 2020 - 2010
    lic = {p: {o: sum(issued[p][o][t20]) for o in ("SE", "EU", "TC")} for p in P_CODES}
    out["lic2020"] = lic
    out["lic2020_total"] = sum(sum(lic[p].values()) for p in P_CODES if PROF[p]["licensed"] == "yes")
    # licensed 2023 per profession
    out["licensed2023"] = {p: sum(stocks[p][-1]) for p in P_CODES}
    out["licensed2010"] = {p: sum(stocks[p][0]) for p in P_CODES}
    # beginners ranges
    nat_beg = {p: [sum(beg[p][r][y] for r in beg[p]) for y in ADM_YEARS] for p in beg}
    out["beg"] = nat_beg
    # population
    out["pop"] = {y: sum(sum(cpop[y][ci][s]) for ci in range(NC) for s in (0, 1)) for y in cpop}
    out["county2023"] = {C_CODES[ci]: sum(cpop[2023][ci][0]) + sum(cpop[2023][ci][1]) for ci in range(NC)}
    out["old80"] = {y: sum(cpop[y][ci][s][a] for ci in range(NC) for s in (0, 1) for a in range(80, 101)) / out["pop"][y]
                    for y in (2010, 2023, 2045)}
    # employed aged 60+ in 2021, share, and physicians per 100 000 in 2020
    t21 = EMP_YEARS.index(2021)
    e60 = eall = 0
    for p in PARENTS:
        for k in range(3):
            arr = emp[p][t21][0][k]
            for i in range(NCELL):
                v = arr[i]
                if v:
                    eall += v
                    if AGES[i % NA] >= 60:
                        e60 += v
    out["share60_2021"] = e60 / eall
    out["lak_per_100k_2020"] = per_prof["LAK"][0] / out["pop"][2020] * 1e5
    ssk21 = [0, 0]
    for k in range(3):
        arr = emp["SSK"][t21][0][k]
        for i in range(NCELL):
            ssk21[(i // NA) % 2] += arr[i]
    out["ssk_women_2021"] = ssk21[1] / sum(ssk21)
    # regions with shortage in half or more of the professions asked
    n_short = 0
    for c in C_CODES:
        rr = [r for r in balance_rows if r[1] == c and r[3] == "R"]
        if sum(1 for r in rr if r[4] == "brist") * 2 >= len(rr):
            n_short += 1
    out["regions_half_short"] = n_short
    mun_ssk = [r for r in balance_rows if r[3] == "K" and r[2] == "SSK"]
    out["mun_ssk_short"] = sum(r[5] for r in mun_ssk if r[4] == "brist") / sum(MUNICIPALITIES.values())
    return out


def write_readme(ach, manifest) -> None:
    pp = ach["per_prof"]
    sizes = "\n".join("| `%s` | %s | %s | %s |" % (m["name"], m["format"], fmt(m["bytes"]), fmt(m["rows"]))
                      for m in manifest)
    lak = ach["lic2020"]["LAK"]
    lak_tot = sum(lak.values())
    ssk = ach["lic2020"]["SSK"]
    lakb, sskb = ach["beg"]["LAK"], ach["beg"]["SSK"]
    def growth(p):
        l10, l23 = ach["licensed2010"][p], ach["licensed2023"][p]
        want = BEHAVIOUR[p][2] if p in BEHAVIOUR and BEHAVIOUR[p][2] else None
        got = "%.2f" % (l23 / l10) if l10 else "(licensed from 2019)"
        return ("%.2f" % want if want else "—"), got

    prof_rows = "\n".join(
        "| %s %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            p, PROF[p]["name_en"], fmt(EMPLOYED_2020[p][0]) if p in EMPLOYED_2020 else "(layer)",
            fmt(pp[p][0]), pct(EMPLOYED_2020[p][1]) if p in EMPLOYED_2020 else "",
            pct(pp[p][1] / pp[p][0]) if pp[p][0] else "", fmt(ach["licensed2010"][p]),
            fmt(ach["licensed2023"][p]), growth(p)[0], growth(p)[1])
        for p in P_CODES)
    c23 = ach["county2023"]
    text = f"""# data/default: the default data set of hwf — SYNTHETIC

**Every number in this folder is synthetic.** The files are simulated by
`scripts/gen_default_data.py` (standard-library Python 3.11, seed {SEED}) so that their national
aggregates resemble published figures; no cell is an observed statistic, and nothing here may be
quoted as a fact about Sweden. The PX files say so in `SOURCE` and `NOTE`, the manifest in
`synthetic = true`.

Regenerate (from the repository root; takes well under a minute, and two runs give byte-identical
files):

    python3 scripts/gen_default_data.py

Base year {BASE_YEAR}. Licences 2010–2023; employment lags two years (2010–2021); population
2010–2023 and a projection 2024–2045; admissions 2005–2023. Workforce ages are single years 20–74,
population ages 0–100 (`100` = 100+). Codes come from `data/codes/`.

## Files

| file | format | bytes | rows |
|---|---|---|---|
{sizes}

- **`licensed.px`** — licensed persons resident in Sweden (legitimerade), STUB `yrke`, `län`, `kön`,
  `ålder`, HEADING `år` 2010–2023. All 24 codes of `professions.csv`: the 22 licences plus the
  layers SPL (specialist physicians ⊂ LAK) and SSSK (specialist nurses ⊂ SSK); BMO (midwives) is a
  licence kept as a layer of SSK. A layer never exceeds its parent in any cell. PC-Axis 2013,
  windows-1252, CRLF, Swedish with `[en]` labels, the KEYS layout (rows of zeros left out).
- **`employed.px`** — persons employed in health care (all three sectors) and their full-time
  equivalents: STUB `yrke`, `län`, `huvudman` (R/K/P), `kön`, `ålder`; HEADING `tabellinnehåll`
  (`EMP` Anställda, `FTE` Heltidsekvivalenter, one decimal) × `år` 2010–2021. `DECIMALS=1`; EMP
  values are integers. Employed ≤ licensed and layer ≤ parent in every cell and sector; FTE ≤ EMP.
- **`licences_issued.px`** — licences issued (SPL: specialist certificates; SSSK: specialist-nurse
  degrees) by `yrke`, `län` (residence), `utbildningsland` (SE/EU/TC), `kön`, `ålder`, `år`
  2010–2023. These are exactly the inflows of `licensed.px`: for every cell,
  `L[t+1, a+1] = survivors of L[t, a] + issued[t+1, a+1]` (summed over the three origins).
- **`population.px`**, **`population_projection.px`** — population 31 December by `län`, `kön`,
  `ålder` (0–100+) and `år`, dense layout; county totals follow SCB (see below); the projection is
  this generator's own cohort-component run (ageing population).
- **`admissions.csv`** — UKÄ-style wide table (windows-1252, `;`, CRLF): `Utbildning` (the code of
  the profession the programme leads to), `Sjukvårdsregion`, `Uppgift` ∈ {{`nybörjare`,
  `examinerade`, `examensfrekvens`}}, years 2005–2023. `examensfrekvens` (percent, decimal comma) =
  graduates in year *y* / beginners in year *y* − ⌈programme_years⌉ (beginners in the autumn of *y*
  graduate in the spring or at the turn of the year of *y* + ⌈programme_years⌉: 5.5 → 6, 3.5 → 4,
  1.5 → 2); `..` where that cohort began before 2005. Only regions that host the programme have
  rows. No rows for KIR (chiropractors are educated abroad) nor SPL (specialist training is not a
  programme). Swedish-educated licences follow from the graduates: a share {LICENCE_UPTAKE:.2f} obtains the
  licence after `licence_lag_years` (LAK 1.5 = half after one year, half after two; PSY 1).
- **`care_use.csv`** — relative care use per person (UTF-8 with BOM, `;`, decimal comma, CRLF):
  `huvudman;kön;ålder;vårdkonsumtion`, ages 0–100; for each sector the mean weighted by the 2023
  population is 1,0. Region-run care: high in infancy, low 5–40, women higher in childbearing ages,
  steep after 60. Municipal care: almost only 65+, highest 85+. Private care: flatter.
- **`balance.csv`** — the principals' balance assessments for {BASE_YEAR} (UTF-8, `,`, LF):
  `år,län,yrke,huvudman,bedömning,antal`. `R`: one answer per region (`antal` = 1); `K`: the number
  of municipalities of the county giving each answer (only non-zero counts are written; they add up
  to the county's number of municipalities, 290 in all). `bedömning` ∈ {{brist, balans, överskott}}.
- **`service_use.csv`** — relative care use per person by service area (UTF-8 with BOM, `;`,
  decimal comma, CRLF): `verksamhetsområde;kön;ålder;vårdkonsumtion` for the six service areas of
  `data/codes/services.csv`, ages 0–100, each with mean 1,0 over the 2023 population. Primary care
  (PV) U-shaped, specialised somatic care (SOM) steep after 60, psychiatry (PSYK) highest 15–44,
  dental care (TV) high for children 3–19 (free dental care) and again 65–84, municipal health care
  (KHS) the municipal sector's profile. Maternity care (MOD) is driven by births: its profile is the
  population aged 0 at the end of the year (a value at age 0, zero at every other age).
- **`staffing.csv`** — the staffing matrix: FTE of {EMP_YEARS[-1]} by `yrke;län;huvudman;verksamhetsområde;heltidsekvivalenter`
  (UTF-8 with BOM, `;`, decimal comma, CRLF). Each profession × county × sector's FTE in `employed.px`
  split over the service areas by a profession's mix (midwives 85 % maternity care, psychologists
  60 % psychiatry, dentists and dental hygienists dental care, …; private care with more primary
  care) tilted per county (a log-normal factor, sd 0.15, per service); municipality-run care is
  municipal health care throughout. The parts sum to the employed FTE of the cell exactly. Drawn
  from a stream of random numbers of its own (seed + 1), so the other files do not depend on it.
- **`destinations.csv`** — where the Swedish licences of each programme's graduates went (UTF-8
  with BOM, `;`, CRLF): `yrke;sjukvårdsregion;län;år;legitimationer`, the licences issued on Swedish
  education in year `år` to graduates of the health-care region `sjukvårdsregion` (where the
  university is), by county of residence at the licence; only non-zero counts are written. It
  covers every profession with a programme, and its counts add up, per profession, county and
  year, to the Swedish licences (for the layers SSSK and BMO, the Swedish degrees) of
  `licences_issued.px` exactly: it is counted while the generator settles each new licensee (70 % in
  the region of the university, see below), without a random number of its own. A layer's degrees
  are drawn from the nurses' cells of the counties each region's graduates were sent to; the persons
  drawn in a county are split over those regions in proportion to what each sent there (largest
  remainder).
- **`specialists.csv`** — specialist physicians (SPL) by specialty group and specialist nurses
  (SSSK) by specialisation (UTF-8 with BOM, `;`, CRLF): `specialitet;län;kön;ålder;år;specialister`,
  the groups of `data/codes/specialties.csv` (six of SPL, eight of SSSK) × county × sex × ten-year
  age band (25-34 … 65-74) × year {LIC_YEARS[0]}–{LIC_YEARS[-1]}, every cell written (zeros too). Each
  specialist holds one group, so each layer's groups add up to the layer in `licensed.px` in every
  county, sex, band and year exactly (a real table that counts certificates or degrees, with a
  person in two specialties twice, would add up to more).
- **`st_starts.csv`** — the starts of specialist training (UTF-8 with BOM, `;`, CRLF):
  `specialitet;sjukvårdsregion;år;påbörjade`, by group × health-care region × year
  {ST_START_YEARS[0]}–{ST_START_YEARS[-1]}: for the physicians' groups the specialist training (ST) starts, for the
  nurses' specialisations the beginners of the specialist-nurse programme (they add up, per region
  and year {ADM_YEARS[0]}–{ADM_YEARS[-1]}, to the SSSK beginners of `admissions.csv` exactly).
- **`municipal_employed.csv`** — persons employed in municipal health care (sector K) by
  municipality (UTF-8 with BOM, `;`, CRLF, a title line saying the data are synthetic above the
  header): `kommun;yrke;kön;ålder;år;anställda`, the 290 municipalities × the professions with at
  least 5 % of their employed in the municipal sector × sex × five-year age band (20-24 … 60-64,
  65-74) × {MUNI_YEAR} (the last employment year), every cell written (zeros too). Each county's
  cells of `employed.px`'s municipal sector, summed over the band, are split over its
  municipalities (largest remainder) by their 2019 population, tilted toward older staff in
  the county's smaller municipalities, with a random factor per municipality and profession; the
  municipalities add up to their county exactly. For `data/scenarios/municipal.toml`.
- **`municipal_population.px`** — population 31 December by municipality, sex and five-year age
  band (0-4 … 85-89, 90+), {MUNI_POP_YEARS[0]}–{MUNI_POP_YEARS[-1]}: each county's cells of
  `population.px` and `population_projection.px` split over its municipalities by their 2019
  population, smaller municipalities older and ageing faster; they add up to their county exactly.
- **`manifest.toml`** — name, format, titles, `synthetic = true`, sha256, bytes, rows (and cells for
  PX: values written in DATA) of every data file.

## How the data are made

1. **Population.** A national cohort-component model from 2010 (single years, two sexes: births,
   a Gompertz mortality levelled to about 94 400 deaths in 2023, net migration by age as the
   residual to SCB's national totals), then county × sex × age by iterative proportional fitting of
   county age tilts (urban counties younger) to the national age margins and the county totals.
   Projection: births rising to {fmt(PROJ_BIRTHS_2045)} by 2045, net migration {fmt(PROJ_NET_MIGRATION)} a year,
   mortality improving {PROJ_MORTALITY_IMPROVEMENT:.0%} a year; county shares continue half their 2014–2024 trend.
2. **Admissions.** National beginners per programme (knots in `PROGRAMMES`) split over host regions;
   graduates are binomial draws with a completion rate per programme and region.
3. **Licences issued.** Swedish graduates (age = start age + programme + licence lag) settle 70 % in
   their university's region, 30 % anywhere by population; licences on EU/EEA and third-country
   education per year (`FOREIGN`), ages mostly 26–45, Stockholm weighted up. Health and medical
   care counsellors (HSK) are licensed from 2019 (a transitional wave in 2019–2021), so HSK has no
   licensed persons before 2019. SPL certificates and SSSK/BMO degrees are drawn from the parent's
   persons in each cell.
4. **Licensed stock.** The 2010 stock per profession and sex is a stationary-like age profile,
   scaled exactly (the model is linear in it) so that the expected number employed in health care
   in 2020 equals the per-profession target below. Then, cell by cell,
   `L[t+1, a+1] = Binomial(L[t, a], 1 − x[p, s, a]) + issued[t+1, a+1]`. The exit rate x is a
   prime-age part (emigration, leaving the profession: 1.0 % × m a year from 30, 1.8 % × m under
   30, with the multiplier m solved per profession so that the expected licensed stock grows from
   2010 to 2023 by the factor in the table below; m = 0.7–3.1) plus retirement and mortality
   (0.3 % at 55, 1.5 % at 60, 5 % at 64, 9 % at 65, 14 % at 67, 17–19 % at 70–73; men somewhat
   higher after 50) and 100 % at 74 (nobody is carried past 74). A layer's survivors are drawn
   among its parent's survivors, so its exit rates equal its parent's.
5. **Employment.** Employed = Binomial(licensed, e[p, a]) with e ≈ 0.62–0.90 at prime ages by
   profession, falling after 60 (× 0.62 at 65, × 0.1 at 74); split over R/K/P by profession (private
   weighted up after 65). FTE = employed × mean FTE per person (≈ 0.88 women, 0.93 men at prime ages,
   lower under 25 and after 64, lower in municipal care; cell noise ± 3 %).
6. **Care use and balance** are drawn from the profiles and probabilities at the top of the script.
7. **Specialties and ST** (made last, on a stream of their own, seed + 2, so no other file depends
   on them). ST starts per group and health-care region: the national SPL certificates expected
   {ST_YEARS_TEXT} years later over a completion rate of {ST_COMPLETION * 100:.0f} %, split by the year's mix of groups
   and the region's population (noise ± 6 %); general practice's share of the starts grows by half
   from {ST_START_YEARS[0]} to {ST_START_YEARS[-1]} (from {pct(SPEC_FIGURES['alm_first'])} to {pct(SPEC_FIGURES['alm_last'])}), the other groups keep the
   2013 mix below. The 2010 specialists are split over the groups by that mix, tilted by sex
   (surgery more men; paediatrics and general practice more women) and age (psychiatry older,
   general practice younger). Each later year carries each cell's groups along the cohort (the
   survivors drawn without replacement from last year's groups) and gives the year's Swedish
   certificates groups in proportion to the ST starts {ST_YEARS_TEXT} years before in the county's
   health-care region (foreign-trained specialists by the stock's mix).
8. **Specialist nurses by specialisation** (made after the specialties, on a stream of their own,
   seed + 3). Each region's SSSK beginners of `admissions.csv` are split over the eight
   specialisations by the year's mix of beginners (district nursing about a quarter; medical or
   surgical care's share falling from {pct(SPEC_FIGURES['mkv_first'])} in {ST_START_YEARS[0]} to {pct(SPEC_FIGURES['mkv_last'])} in {ST_START_YEARS[-1]}, the other
   specialisations' — ambulance, oncology, care of older people — rising). The 2010 specialist
   nurses are split by the 2014 mix of the calibration table, tilted by sex and age (district and
   medical/surgical nurses older); each later year carries the cells' specialisations along the
   cohort, and the year's Swedish degrees take the specialisations of the beginners a year before
   in the county's health-care region, as the physicians' certificates do.

## Calibration: public aggregates and what the generator achieved

| figure | public value (source) | achieved here |
|---|---|---|
| licensed staff employed in health care, 2020, 22 licences (midwives inside nurses) | ≈ 239 000 [1] | {fmt(ach['emp2020'])} |
| share women among them | 79 % [1] | {pct(ach['women2020'])} |
| share women among employed nurses, 2021 | 88 % [2] | {pct(ach['ssk_women_2021'])} |
| employed physicians per 100 000 inhabitants, 2020 | 400 (all sectors of work) [4] | {ach['lak_per_100k_2020']:.0f} (in health care) |
| licences issued, 2020 (22 licences) | almost 13 000 [3] | {fmt(ach['lic2020_total'])} |
| nurse licences, 2020 | 4 944 [3] | {fmt(sum(ssk.values()))} (SE {fmt(ssk['SE'])}, EU {fmt(ssk['EU'])}, TC {fmt(ssk['TC'])}) |
| physician licences, 2020: total; Swedish-trained; EU/EEA; third country | 2 401; 1 349 (56 %); 33 %; 11 % [3] | {fmt(lak_tot)}; {fmt(lak['SE'])} ({pct(lak['SE'] / lak_tot)}); {pct(lak['EU'] / lak_tot)}; {pct(lak['TC'] / lak_tot)} |
| beginners, medicine, 2005–2023 | 1 700–2 300 a year (brief; UKÄ scale) | {fmt(min(lakb))}–{fmt(max(lakb))} |
| beginners, nursing, 2005–2023 | 5 000–6 000, almost 6 200 in 2017/18 [5] | {fmt(min(sskb))}–{fmt(max(sskb))} (2017: {fmt(sskb[2017 - 2005])}) |
| beginners, specialist nursing, 2017 | almost 2 500 [5] | {fmt(ach['beg']['SSSK'][2017 - 2005])} |
| beginners, midwifery, 2017 | 350 [5] | {fmt(ach['beg']['BMO'][2017 - 2005])} |
| population of Sweden, 2010 / 2023 | 9 415 570 / 10 551 707 [6] | {fmt(ach['pop'][2010])} / {fmt(ach['pop'][2023])} |
| county populations 2023: Stockholm; Uppsala | 2 454 821; 404 589 [6] | {fmt(c23['01'])}; {fmt(c23['03'])} |
| county populations 2023: Skåne; Västra Götaland; Gotland | ≈ 1.42 M; ≈ 1.76 M; ≈ 61 000 (brief, from SCB trends [6]) | {fmt(c23['12'])}; {fmt(c23['14'])}; {fmt(c23['09'])} |
| population 2045 (projection) | 11.0–11.3 M (brief) | {fmt(ach['pop'][2045])} |
| share aged 80+, 2010 / 2023 / 2045 | 5.3 % in 2010 [7] | {pct(ach['old80'][2010])} / {pct(ach['old80'][2023])} / {pct(ach['old80'][2045])} |
| regions reporting shortage in half or more of the professions, 2023 | 15 of 21 [1] | {ach['regions_half_short']} of 21 |
| municipalities reporting a shortage of nurses | half or more [1] | {pct(ach['mun_ssk_short'])} |
| share of employed aged 60+, 2021 (retirement matters) | — | {pct(ach['share60_2021'])} |
| specialist physicians by group, 2013: general practice; internal medicine; surgical; psychiatry; paediatrics; other | 18 %; 21 %; 27 %; 7 %; 5 %; 21 % of 57 300 (10 500; 11 900; 15 400; 4 200; 3 150; remainder) [8] | {SPEC_FIGURES['mix2013']} of {fmt(SPEC_FIGURES['total2013'])} (the level is this data set's SPL) |
| specialist nurses, about 2014: in all; medical or surgical care | about 48 000; about 8 200 [9] | {fmt(SPEC_FIGURES['nurses2014'])} (this data set's SSSK); {SPEC_FIGURES['nursemix2014']} (district; anaesthesia; intensive; theatre; psychiatric; paediatric; medical/surgical; other) |

Employed in health care in 2020 by profession (target = this generator's split of the 239 000; layers
are not part of the total):

| profession | employed 2020: target | achieved | women: target | achieved | licensed 2010 | licensed 2023 | growth 2010–2023: target / achieved |
|---|---|---|---|---|---|---|---|
{prof_rows}

Sources (stored public copies consulted when the generator was written; facts only, no text copied):

1. Socialstyrelsen, Nationella planeringsstödet (NPS), summary of the 2023 report (and the 2022
   report: every region reported shortage of midwives, specialist nurses, specialist physicians and
   radiographers): https://www.hsan.se/kunskapsstod-och-regler/kompetensforsorjning/nationella-planeringsstodet/
2. Socialstyrelsen, Statistik om hälso- och sjukvårdspersonal (korta fakta, arbetsmarknadsstatus 2021):
   https://www.hsan.se/statistik-och-data/statistik/alla-statistikamnen/halso-och-sjukvardspersonal/
3. Socialstyrelsen, press release "13 000 fick yrkeslegitimation i fjol – fyra av tio var sjuksköterskor" (2021):
   https://www.hsan.se/om-socialstyrelsen/pressrum/press/13-000-fick-yrkeslegitimation-i-fjol--fyra-av-tio-var-sjukskoterskor/
   ; also Läkartidningen 2014-09 (2013: 991 Swedish-, 1 052 EU/EEA-, 203 third-country-trained new
   physicians) https://lakartidningen.se/aktuellt/nyheter/2014/09/mer-an-halften-av-nya-legitimationer-till-utlandsutbildade/
   and Vårdfokus (nurse licences 3 900 / 595 / 71; licensed nurses under 65: 138 943 in 2011)
   https://www.vardfokus.se/yrkesroller/sjukskoterska/antalet-sjukskoterskor-har-minskat/
4. Läkartidningen 2022-09, "Ökning av antalet läkare per capita" (400 per 100 000 in 2020; about
   75 000 licensed physicians, under 52 000 aged under 65; 50 % women):
   https://lakartidningen.se/aktuellt/nyheter/2022/09/okning-av-antalet-lakare-per-capita/
5. UKÄ figures reported by Framtidens vårdkompetens, 2019-02-21:
   https://www.framtidensvardkompetens.se/2019/02/21/fler-examinerade-inom-halso-och-sjukvardsomradet/
6. SCB population statistics: municipal series 2010–2019 (GitHub odectra/popu-sweden
   `data/folkmangd.csv`, commit 13b654d0bc234bb30c78068a8f2abc754df2b6c9, equal to SCB BE0101N1 for
   2018), "Folkmängd i landskapen" 2020 and 2021
   (https://www.scb.se/hitta-statistik/statistik-efter-amne/befolkning/befolkningens-sammansattning/befolkningsstatistik/pong/tabell-och-diagram/folkmangd-och-befolkningsforandringar---helarsstatistik/folkmangd-i-landskapen-den-31-december-2021/),
   monthly statistics 2022, "Folkmängd i riket, län och kommuner 31 december 2024"
   (https://scb.se/hitta-statistik/statistik-efter-amne/befolkning-och-levnadsforhallanden/befolkningens-sammansattning-och-utveckling/befolkningsstatistik/pong/tabell-och-diagram/folkmangd-och-befolkningsforandringar---helarsstatistik/folkmangd-i-riket-lan-och-kommuner-31-december-2024-och-befolkningsforandringar-2024),
   and 2023 totals as reported by Håbo kommun and Realtid (2024-02):
   https://www.haboportalen.se/nyheter/6082-nya-siffror%3A-befolkningen-%C3%B6kar-i-h%C3%A5bo-%E2%80%93-nu-22-974-personer.html ,
   https://www.realtid.se/lagsta-folkokningen-pa-22-ar/
7. SCB, Sveriges framtida befolkning 2012–2060, table T.9a (population 2010 aged 65–69 … 100+):
   https://www.yumpu.com/sv/document/view/11227635/sveriges-framtida-befolkning-2012-2060/231
8. Specialist certificates held in 2013 by group, from Socialstyrelsen's statistics as reported by
   Läkartidningen (2014-09); more than 67 000 specialist physicians in 2020, more than 18 000 of
   them in surgical specialties (Socialstyrelsen, reported on hsan.se). The total of 57 300 for
   2013 is 15 400 over the surgical share of 2020 (an estimate); "other" is the remainder.
9. Specialist nurses: about 48 000 employed in 2014, down from about 55 500 in 1995 (Socialstyrelsen,
   "Tillgång på specialistsjuksköterskor och röntgensjuksköterskor 2014", art.nr 2016-11-2, as
   reported by Vårdfokus 2016-11-03 and Läkartidningen 2016-11); about 8 200 with medical or
   surgical specialisation some 20 years after 25 800 in 1995 (Vårdfokus 2018-11, from
   Socialstyrelsen's data); the specialist-nurse degree is 60 credits (one year), district nursing
   75 (university syllabi quoting the degree ordinance).

Judgement calls (estimates, not published figures): the split of the 239 000 over professions and
the women shares other than nurses and physicians; the growth factors of the licensed stocks
(after Socialstyrelsen's per-capita changes quoted in the script); exit, employment and FTE
schedules; sector
shares; county tilts; programme sizes other than those cited; completion rates; the share of
foreign-trained licences for professions other than physicians, nurses, dentists and pharmacists;
births 2011–2020 and the under-65 age groups of 2010 (approximations of SCB's series); the
population projection; the balance probabilities; the specialty groups' sex and age tilts, ST
length ({ST_YEARS_TEXT} years: the five-year minimum of the rules before 2021 plus leave and extensions)
and completion rate. County populations 2020–2023 not listed in [6]
are extrapolated from their 2016–2019 trend and fitted to SCB's national totals.
"""
    with open(os.path.join(OUT_DIR, "README.md"), "wb") as f:
        f.write(text.encode("utf-8"))


def drift_figures(stocks, emp, issued, beg, county_pop) -> dict:
    """What the drift world's processes did, measured on the generated tables."""
    f: dict = {}
    ny = len(LIC_YEARS)
    nat = {}  # (year index) -> per-age national totals over the parents: licensed, inflow
    for t in range(ny):
        lic = [0] * NA
        inf = [0] * NA
        for p in PARENTS:
            L = stocks[p][t]
            for i in range(NCELL):
                if L[i]:
                    lic[i % NA] += L[i]
            for o in ("SE", "EU", "TC"):
                arr = issued[p][o][t]
                for i in range(NCELL):
                    if arr[i]:
                        inf[i % NA] += arr[i]
        nat[t] = (lic, inf)

    def exit_share(t: int, a0: int, a1: int) -> float:
        """National exits in year t of persons aged a0..a1 at the start of the year / persons."""
        lic0, _ = nat[t - 1]
        lic1, inf1 = nat[t]
        risk = sum(lic0[AGES.index(a)] for a in range(a0, a1 + 1))
        stay = sum(lic1[AGES.index(a) + 1] - inf1[AGES.index(a) + 1] for a in range(a0, a1 + 1))
        return (risk - stay) / risk

    f["exit_60_69"] = {LIC_YEARS[t]: exit_share(t, 60, 69) for t in range(1, ny)}
    f["exit_30_54"] = {LIC_YEARS[t]: exit_share(t, 30, 54) for t in range(1, ny)}
    # movement
    net = [0] * NC
    by_year = {y: 0 for y in LIC_YEARS[1:]}
    for (p, y, a, b), n in MOVES.items():
        net[a] -= n
        net[b] += n
        by_year[y] += n
    f["net_moves"] = net
    f["moves_by_year"] = by_year
    f["licensed_by_county_2023"] = [sum(sum(stocks[p][-1][idx(ci, s, 0):idx(ci, s, 0) + NA]) for p in PARENTS
                                        for s in (0, 1)) for ci in range(NC)]
    # third-country licences, national beginners, HSK
    f["tc_by_year"] = {y: sum(sum(issued[p]["TC"][t]) for p in PARENTS) for t, y in enumerate(LIC_YEARS)}
    f["tc_lak_ssk"] = {y: (sum(issued["LAK"]["TC"][t]), sum(issued["SSK"]["TC"][t])) for t, y in enumerate(LIC_YEARS)}
    f["beg"] = {p: {y: sum(beg[p][r][y] for r in beg[p]) for y in ADM_YEARS} for p in ADMISSIONS_BREAK}
    f["hsk_issued"] = {y: sum(sum(issued["HSK"][o][t]) for o in ("SE", "EU", "TC")) for t, y in enumerate(LIC_YEARS)}
    f["hsk_stock"] = {y: sum(stocks["HSK"][t]) for t, y in enumerate(LIC_YEARS)}
    # employment share and FTE per employed person by county and year (the 21 licences)
    share = {}
    fte = {}
    f["emp_share_national"] = {}
    for t, y in enumerate(EMP_YEARS):
        L = sum(sum(stocks[p][t]) for p in PARENTS)
        E = sum(sum(emp[p][t][0][k]) for p in PARENTS for k in range(3))
        f["emp_share_national"][y] = E / L
        for ci in range(NC):
            lo, hi = idx(ci, 0, 0), idx(ci, 1, NA - 1) + 1
            L = sum(sum(stocks[p][t][lo:hi]) for p in PARENTS)
            E = sum(sum(emp[p][t][0][k][lo:hi]) for p in PARENTS for k in range(3))
            H = sum(sum(emp[p][t][1][k][lo:hi]) for p in PARENTS for k in range(3)) / 10
            share[(ci, y)] = E / L
            fte[(ci, y)] = H / E
    f["emp_share"], f["fte_per_emp"] = share, fte
    return f


def write_readme_drift(ach, manifest, f) -> None:
    """README of the drift world: its processes with their parameters, and what they did."""
    sizes = "\n".join("| `%s` | %s | %s | %s |" % (m["name"], m["format"], fmt(m["bytes"]), fmt(m["rows"]))
                      for m in manifest)
    names = {c["code"]: c["name_en"] for c in COUNTIES}
    ly = EMP_YEARS[-1]
    county_rows = []
    for ci, c in enumerate(C_CODES):
        kind = "rural" if c in RURAL_COUNTIES else ("city" if c in CITY_COUNTIES else "other")
        attract = 1.0 + MOVE_ATTRACT * max(URBAN[c], 0.0)
        push = MOVE_PUSH_RURAL if c in RURAL_COUNTIES else (MOVE_PUSH_CITY if c in CITY_COUNTIES else 1.0)
        county_rows.append("| %s %s | %s | %.2f | %.1f | %+.1f %% | %.2f | %.2f | %s | %s | %+.3f | %+.3f | %.3f | %.3f |" % (
            c, names[c], kind, RETIRE_SHIFT_BASE + RETIRE_SHIFT_URBAN * URBAN[c], retire_shift(c, 2023),
            100 * mid_trend(c), push, attract, fmt(f["net_moves"][ci]), fmt(f["licensed_by_county_2023"][ci]),
            EFFECTS["u"][ci], EFFECTS["w"][ci], f["emp_share"][(ci, ly)], f["fte_per_emp"][(ci, ly)]))
    county_rows = "\n".join(county_rows)
    years = LIC_YEARS[1:]
    exit_rows = "\n".join("| %d | %.2f %% | %.2f %% | %s | %s | %s / %s | %s | %s |" % (
        y, 100 * f["exit_60_69"][y], 100 * f["exit_30_54"][y], fmt(f["moves_by_year"][y]), fmt(f["tc_by_year"][y]),
        fmt(f["tc_lak_ssk"][y][0]), fmt(f["tc_lak_ssk"][y][1]), fmt(f["hsk_issued"][y]), fmt(f["hsk_stock"][y]))
        for y in years)
    adm_cols = list(ADMISSIONS_BREAK)
    adm_rows = "\n".join("| %d | %s |" % (y, " | ".join(fmt(f["beg"][p][y]) for p in adm_cols))
                         for y in ADM_YEARS if y >= 2012)
    breaks = "; ".join("%s from %d: %+.0f %% then %+.0f %% a year, at most %+.0f %%" % (
        p, b[0], 100 * b[1], 100 * b[2], 100 * b[3]) for p, b in ADMISSIONS_BREAK.items())
    wave = ", ".join("%d: %.1f" % (y, v) for y, v in TC_WAVE.items())
    amps = ", ".join("%s %.1f" % (p, v) for p, v in TC_WAVE_AMPLITUDE.items())
    hsk_wave = ", ".join("%d: %s" % (y, fmt(n)) for y, n in HSK_WAVE_DRIFT.items())
    nat_share = f["emp_share_national"]
    emp_year_rows = "\n".join("| %d | %.3f | %.3f – %.3f | %.3f – %.3f |" % (
        y, nat_share[y], min(f["emp_share"][(ci, y)] for ci in range(NC)), max(f["emp_share"][(ci, y)] for ci in range(NC)),
        min(f["fte_per_emp"][(ci, y)] for ci in range(NC)), max(f["fte_per_emp"][(ci, y)] for ci in range(NC)))
        for y in EMP_YEARS)
    pp = ach["per_prof"]
    prof_rows = "\n".join("| %s | %s | %s | %s | %s |" % (
        p, fmt(EMPLOYED_2020[p][0]) if p in EMPLOYED_2020 else "(layer)", fmt(pp[p][0]),
        fmt(ach["licensed2010"][p]), fmt(ach["licensed2023"][p])) for p in P_CODES)
    text = f"""# data/world2: hwf's second world — SYNTHETIC, made by a process other than hwf's model

**Every number in this folder is synthetic**, like [`data/default/`](../default/README.md), and made
by the same script with another process: `scripts/gen_default_data.py --world drift` (standard-library
Python 3.11, seed {SEED}). The PX files say so in `SOURCE` and `NOTE`, the manifest in
`synthetic = true`. Nothing here may be quoted as a fact about Sweden.

**Why a second world.** The default data are stationary in hwf's own terms: exits are binomial at
fixed rates, foreign inflows have fixed levels, employment shares have no county effects. A model
forecasting them forecasts its own assumptions, so a backtest on them alone flatters it. This world
is made by processes hwf's model does not have (drifting exit rates by county, movement between
counties, a wave of third-country licences, a trend break in admissions, a longer transition wave
for a newly licensed profession, county × year effects on employment and FTE), so that bands that
hold on both data sets are not tuned to one generator. Use it through
[`data/scenarios/world2.toml`](../scenarios/world2.toml):

    hwf validate data/world2
    hwf project  --scenario data/scenarios/world2.toml --out out/world2
    hwf backtest --scenario data/scenarios/world2.toml --from 2015,2018 --draws 200 --out out/world2-backtest

Regenerate (from the repository root; two runs give byte-identical files, and `--check` regenerates
into a scratch folder and compares every file with this folder):

    python3 scripts/gen_default_data.py --world drift               # writes data/world2/
    python3 scripts/gen_default_data.py --world drift --check       # byte-for-byte check
    python3 scripts/gen_default_data.py --world drift --out DIR     # anywhere else

## Files

The same eight tables, layouts, code lists, years and ages as `data/default/` (see its README for
each file's layout): base year {BASE_YEAR}, licences 2010–2023, employment 2010–2021, population
2010–2023 and projection 2024–2045, admissions 2005–2023.

| file | format | bytes | rows |
|---|---|---|---|
{sizes}

The CSV files have one title line above their header, `{CSV_TITLE_DRIFT}`, so that
hwf (which reads a CSV's title lines) knows them for synthetic, as the PX files' `SOURCE` and `NOTE`
say; the default world's CSV files have none (hwf knows them by their content).

What is shared with the default world: the population and its projection (the same numbers; only
the PX files' `NOTE` differs), the care use (the same numbers), the programme table before its breaks,
the county tilts, the exit, employment and FTE schedules before their drift, and the calibration of
the 2010 stocks and prime-age exit multipliers (computed with the default schedules, so this world
departs from the calibration targets by what its processes do; see the end).

One identity changes: `licences_issued.px` still holds exactly the inflows of `licensed.px`, but
`L[t+1, a+1] = survivors of L[t, a] + issued[t+1, a+1]` now holds for national sums (by
profession, sex and age), not per county: a county's cell also gains and loses the persons who move
between counties (process 2), which no table records.

## The processes and their parameters

Every parameter is a named constant in the settings of the drift world at the top of the script.

1. **Exit rates drift, differently by county.** The exit rate of a person aged *a* in county *c*
   in year *y* is `x = m_p · (0.018 under 30, else 0.010) · max(0.2, 1 + μ_c (y − 2010)) + R(a − δ_c(y))`
   (+ the default's extra for men after 50; 100 % at 74), where `R` is the default's retirement and
   mortality schedule (0.3 % at 55 … 9 % at 65 … 19 % at 73) and `m_p` the profession's calibrated
   multiplier. Retirement moves to older ages by `δ_c(y) = ({RETIRE_SHIFT_BASE:.2f} + {RETIRE_SHIFT_URBAN:.2f} · urban_c) · (y − 2010)`
   years (urban_c is the county's urbanity score, −0.7 … 1.0), plus a step of {RETIRE_STEP:.1f} year from
   {RETIRE_STEP_YEAR} (a pension-age reform). Mid-career exits change by μ_c a year (relative):
   {100 * MID_TREND_RURAL:+.1f} % in the rural counties, {100 * MID_TREND_CITY:+.1f} % in the city counties (01, 12, 14),
   {100 * MID_TREND_OTHER:+.1f} % elsewhere.
2. **Movement between counties.** Each year, each surviving licensed person moves county with
   probability `move(a) · push_c · (1 + {MOVE_GROWTH:.2f} (y − 2010))`, move(a) = {", ".join("%.1f %% at %d" % (100 * v, a) for a, v in MOVE_AGE)}
   (linear between), push {MOVE_PUSH_RURAL:.1f} in rural counties, {MOVE_PUSH_CITY:.1f} in the city counties, 1 elsewhere;
   the destination is drawn by population × attraction (`1 + {MOVE_ATTRACT:.1f} · max(urban_c, 0)`), never
   the county of origin. Movers keep their age; persons in a layer (SPL, SSSK, BMO) move with their
   parent's movers (drawn among them, destination by destination), so a layer never exceeds its
   parent. Net flows go toward Stockholm, Skåne, Västra Götaland and Uppsala.
3. **A wave of third-country licences.** The third-country level of each profession (the default's
   `FOREIGN`) is multiplied by `1 + A_p · W_y`, W = {{{wave}}} (0 in other years), A_p = {amps}
   (1.0 for the others); in the wave's years, third-country licensees settle with Stockholm, Skåne
   and Västra Götaland weighted up × {TC_WAVE_CITY:.1f} (on top of the default's county weights).
4. **A trend break in admissions** (national beginners, then split over regions with the default's
   noise): {breaks}. Graduates and licences follow through the pipeline, so the break reaches the
   licences of 2019–2023.
5. **HSK (health and medical care counsellor), licensed from {HSK_FIRST_YEAR}.** No licensed HSK before 2019;
   the 2019 transitional wave is calibrated to the 2020 employment target as in the default world
   ({fmt(ach.get("hsk_wave_2019", 0))} licences), followed by a longer wave of experienced counsellors than the default's:
   {hsk_wave} (ages about 28–65, most 40–50), recorded as Swedish licences, on top of the
   licences of new graduates.
6. **County effects on the employment share and FTE, varying from year to year.** Employment share
   `e[p, c, a, y] = e[p, a] · exp(u_c + u_pc + v_cy + ({EMP_TREND:+.3f}) (y − 2010))`, at most 0.99, with
   u_c ~ N(0, {EMP_COUNTY_SD}), u_pc ~ N(0, {EMP_PROF_COUNTY_SD}) per profession and county, v_cy an AR(1) per county
   (ρ = {EMP_AR}, innovations N(0, {EMP_YEAR_SD})); FTE per employed person `h · exp(w_c + z_cy + ({FTE_TREND:+.3f}) (y − 2010))`,
   at most 1, with w_c ~ N(0, {FTE_COUNTY_SD}) and z_cy an AR(1) (ρ = {FTE_AR}, innovations N(0, {FTE_YEAR_SD})), on top of
   the default's cell noise (± 3 %). The effects are drawn once from the seeded stream.

## What the processes did (measured on the generated tables)

The 21 licences (layers left out). Exits 60–69 and 30–54: national exits during the year of persons
of those ages at its start, over those persons (national sums, so moves cancel). Movers: persons who
moved county. TC: licences on third-country education. HSK: licences issued and licensed persons.

| year | exits 60–69 | exits 30–54 | movers | TC licences | TC: LAK / SSK | HSK licences | HSK licensed |
|---|---|---|---|---|---|---|---|
{exit_rows}

National beginners of the programmes with a break:

| year | {" | ".join(adm_cols)} |
|---|{"---|" * len(adm_cols)}
{adm_rows}

Employment share (employed in health care / licensed, the 21 licences; it falls also because the
licensed grow older) and FTE per employed person, range over the 21 counties:

| year | employment share, national | employment share, counties | FTE per employed, counties |
|---|---|---|---|
{emp_year_rows}

By county: retirement shift a year and by 2023 (years), mid-career exit trend a year, movement push
and attraction, net movers 2011–2023 (in − out, the 21 licences), licensed 2023, the drawn county
effects u_c and w_c, employment share and FTE per employed person in {ly}:

| county | kind | shift / year | shift 2023 | mid-career trend | push | attraction | net movers | licensed 2023 | u_c | w_c | employment share {ly} | FTE per employed {ly} |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
{county_rows}

## Against the default world's calibration targets

The 2010 stocks are calibrated with the default schedules; the drift then moves the outcomes:
employed in health care 2020, 22 licences: {fmt(ach["emp2020"])} (default world's target 239 000), women
{pct(ach["women2020"])}; licences issued 2020: {fmt(ach["lic2020_total"])}; share of employed aged 60+ in 2021:
{pct(ach["share60_2021"])}; regions reporting shortage in half or more of the professions: {ach["regions_half_short"]} of 21.

| profession | employed 2020: default target | employed 2020 here | licensed 2010 | licensed 2023 |
|---|---|---|---|---|
{prof_rows}
"""
    with open(os.path.join(OUT_DIR, "README.md"), "wb") as fh:
        fh.write(text.encode("utf-8"))


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> tuple[str, str | None, bool]:
    """`[--world default|drift] [--out DIR] [--check]`; exits with a message on anything else."""
    world, out, check = "default", None, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--check":
            check = True
        elif a in ("--world", "--out") or a.startswith(("--world=", "--out=")):
            if "=" in a:
                key, val = a.split("=", 1)
            elif i + 1 < len(argv):
                key, val = a, argv[i + 1]
                i += 1
            else:
                sys.exit("gen_default_data.py: %s needs a value" % a)
            if key == "--world":
                if val not in ("default", "drift"):
                    sys.exit("gen_default_data.py: --world %r: expected default or drift" % val)
                world = val
            else:
                out = val
        else:
            sys.exit("gen_default_data.py: unknown argument %r; usage: [--world default|drift] [--out DIR] [--check]" % a)
        i += 1
    if check and out is not None:
        sys.exit("gen_default_data.py: --check compares with the committed folder; it takes no --out")
    return world, out, check


# Drift world: a title line above the header of each CSV file (one cell: no separator in it), so
# that readers that honour title lines know the table is synthetic, as the PX files' NOTE says.
CSV_TITLE_DRIFT = ("Syntetiska data (synthetic data): hwf:s andra värld - scripts/gen_default_data.py "
                   "--world drift - inga observerade uppgifter")


def configure_drift() -> None:
    """Switch the module to the drift world: its seed, folder and the words in the PX files."""
    global DRIFT, WORLD, SEED, OUT_DIR, SOURCE_SV, SOURCE_EN, NOTE_SV, NOTE_EN
    DRIFT, WORLD, SEED = True, "drift", SEED_DRIFT
    OUT_DIR = os.path.join(ROOT, "data", DRIFT_DIR_NAME)
    SOURCE_SV = "hwf synthetic second world (syntetiska data, drift)"
    SOURCE_EN = "hwf synthetic second world (synthetic data, drift)"
    NOTE_SV = ("Syntetiska data: en andra värld simulerad med scripts/gen_default_data.py --world drift "
               "(seed %d), med en annan process än hwf:s modell (se data/%s/README.md). Inga celler "
               "är observerade uppgifter." % (SEED, DRIFT_DIR_NAME))
    NOTE_EN = ("Synthetic data: a second world simulated by scripts/gen_default_data.py --world drift "
               "(seed %d), by a process other than hwf's model (see data/%s/README.md). No cell is an "
               "observed statistic." % (SEED, DRIFT_DIR_NAME))


def main() -> None:
    global OUT_DIR
    world, out, check = parse_args(sys.argv[1:])
    if world == "drift":
        configure_drift()
    if out is not None:
        OUT_DIR = os.path.abspath(out)
    committed = OUT_DIR
    if check:
        # Regenerate into a scratch folder and compare with the committed files byte for byte.
        OUT_DIR = tempfile.mkdtemp(prefix="hwf-%s-" % world)
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = Rng(SEED)
    manifest: list = []

    # population
    hist = county_totals()
    level = 1.0
    for _ in range(5):  # level the mortality curve to SCB's deaths in 2023
        pops, deaths = national_population(level)
        level *= DEATHS_2023 / deaths[2023]
    pops, deaths = national_population(level)
    totals = {y: hist[y] for y in range(2010, 2025)}
    totals.update(project_county_totals(hist, {y: sum(pops[y][0]) + sum(pops[y][1]) for y in pops}))
    cpop = county_population(POP_YEARS + PROJ_YEARS, pops, totals)
    county_pop = {y: [sum(cpop[y][ci][0]) + sum(cpop[y][ci][1]) for ci in range(NC)] for y in cpop}
    regpop = {r: sum(county_pop[BASE_YEAR][i] for i in range(NC) if COUNTY_REGION[C_CODES[i]] == r) for r in R_CODES}

    # education and licences
    beg, grad = make_admissions(rng, regpop)
    issued = make_parent_inflows(rng, grad, county_pop)
    ISSUED_REF.update(issued)
    stocks, issued, info = simulate(rng, county_pop, grad, ISSUED_REF)
    emp = simulate_employment(rng, stocks)
    care = care_use(pops[2023])
    balance_rows = make_balance(rng)

    # write
    write_licensed(stocks, manifest)
    write_employed(emp, manifest)
    write_issued(issued, manifest)
    write_population("population.px", POP_YEARS, cpop, manifest)
    write_population("population_projection.px", PROJ_YEARS, cpop, manifest, projection=True)
    write_admissions(beg, grad, manifest)
    write_care_use(care, manifest)
    write_balance(balance_rows, manifest)
    write_service_use(service_use(pops[2023]), manifest)
    write_staffing(make_staffing(emp), manifest)
    write_destinations(manifest)
    if not DRIFT:
        srng = Rng(SEED + 2)
        starts = make_st_starts(srng, county_pop)
        specs = simulate_specialties(srng, stocks, issued, starts)
        nrng = Rng(SEED + 3)
        nstarts = make_nurse_starts(nrng, beg)
        nurses = simulate_specialties(nrng, stocks, issued, nstarts, "SSSK")
        write_specialties([("SPL", SPEC_CODES, specs, starts), ("SSSK", NURSE_CODES, nurses, nstarts)],
                          manifest)
        write_municipal(Rng(SEED + 4), emp, cpop, manifest)
    write_manifest(manifest)
    ach = achieved(stocks, emp, issued, beg, cpop, pops, balance_rows)
    ach["hsk_wave_2019"] = info["HSK"]["wave_2019"]
    if DRIFT:
        write_readme_drift(ach, manifest, drift_figures(stocks, emp, issued, beg, county_pop))
    else:
        write_readme(ach, manifest)

    # report
    print("files:")
    for m in manifest:
        print("  %-26s %10d bytes  %7d rows  sha256 %s" % (m["name"], m["bytes"], m["rows"], m["sha256"][:16]))
    print("employed in health care 2020: %d (target %d); women %.1f %% (target 79 %%)"
          % (ach["emp2020"], TARGET_EMPLOYED_2020, 100 * ach["women2020"]))
    print("deaths 2023 in the population model: %.0f (SCB 94 400)" % deaths[2023])
    print("HSK 2019 wave: %d" % info["HSK"]["wave_2019"])
    for p in PARENTS:
        if "exit_mult" in info[p]:
            print("  %-4s prime-age exit multiplier %.2f, expected growth 2010-2023 %.2f (target %.2f)"
                  % (p, info[p]["exit_mult"], info[p]["expected_growth"], BEHAVIOUR[p][2]))
    for p in P_CODES:
        e = ach["per_prof"][p]
        print("  %-4s employed 2020 %7d  women %5.1f %%  licensed 2010 %7d  2023 %7d  issued 2020 %s"
              % (p, e[0], 100 * e[1] / e[0] if e[0] else 0, ach["licensed2010"][p], ach["licensed2023"][p],
                 ach["lic2020"][p]))
    print("population 2010 %d, 2023 %d, 2045 %d; 80+ %.1f %% / %.1f %% / %.1f %%" % (
        ach["pop"][2010], ach["pop"][2023], ach["pop"][2045], 100 * ach["old80"][2010],
        100 * ach["old80"][2023], 100 * ach["old80"][2045]))
    print("regions with shortage in >= half of professions: %d of 21" % ach["regions_half_short"])
    if check:
        differ = []
        for name in sorted(os.listdir(OUT_DIR)):
            with open(os.path.join(OUT_DIR, name), "rb") as a:
                new = a.read()
            try:
                with open(os.path.join(committed, name), "rb") as b:
                    old = b.read()
            except FileNotFoundError:
                old = None
            if new != old:
                differ.append(name)
        shutil.rmtree(OUT_DIR)
        if differ:
            print("MISMATCH: the generator no longer reproduces %s/: %s"
                  % (os.path.relpath(committed, ROOT), ", ".join(differ)))
            sys.exit(1)
        print("check: every file in %s/ is reproduced byte for byte" % os.path.relpath(committed, ROOT))


if __name__ == "__main__":
    main()
