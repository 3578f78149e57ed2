#!/usr/bin/env python3
"""Generate docs/fr-hue-touraine.pdf (French working document, 2-3 pages).

Run with the scratch venv:  .pdfvenv/bin/python make_pdf.py
Uses DejaVu TTF fonts so that accented / Vietnamese characters are real text.
"""
import datetime
import os
import unicodedata

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "fr-hue-touraine.pdf")
FONT_DIR = "/usr/share/fonts/truetype/dejavu"

TITLE = "Coopération décentralisée Indre-et-Loire – Huế : bilan 2008-2024 et perspectives"
ORG = "Département d'Indre-et-Loire – Direction des relations internationales"


def nfc(s):
    return unicodedata.normalize("NFC", s)


SECTIONS = [
    ("1. Historique du partenariat", [
        "La convention de coopération entre le Département d'Indre-et-Loire et la province de Thừa Thiên Huế a été signée le 22 octobre 2008 à Tours.",
        "Le rapprochement repose sur un patrimoine comparable : le Val de Loire est inscrit sur la Liste du patrimoine mondial de l'UNESCO depuis 2000 et l'ensemble de monuments de Huế depuis 1993.",
        "Le partenariat est suivi côté français par M. Patrick Morin, vice-président du Conseil départemental chargé des relations internationales, et côté vietnamien par Mme Tôn Nữ Khánh Vân, directrice adjointe du Service des affaires étrangères de Thừa Thiên Huế.",
        "À compter du 1er janvier 2025, la province deviendra la ville de Huế, municipalité relevant directement du gouvernement central, et la convention sera transférée à cette nouvelle collectivité.",
    ]),
    ("2. Principaux projets réalisés", [
        "Deux ans après la signature, en 2010, a démarré le programme de sauvegarde des maisons-jardins du quartier de Kim Long.",
        "Entre 2010 et 2016, 12 maisons-jardins ont été restaurées avec l'appui de l'architecte du patrimoine Olivier Ganne, qui a coordonné les chantiers pendant six ans.",
        "Le volet formation a permis de former 60 guides-conférenciers et 25 artisans menuisiers spécialisés dans la charpente traditionnelle en bois de jacquier.",
        "De 2017 à 2021, le projet d'assainissement du quartier de Vỹ Dạ a raccordé 2 300 foyers à un réseau d'eaux usées et à une petite station d'épuration.",
        "Ce projet a été cofinancé par l'Agence de l'eau Loire-Bretagne au titre du dispositif « 1 % eau » de la loi Oudin-Santini.",
        "Des compagnies de théâtre et de musique de Touraine ont participé au Festival de Huế en 2018 et en 2022.",
    ]),
    ("3. Financement 2008-2024", [
        "Sur l'ensemble de la période 2008-2024, le budget total de la coopération s'élève à 3,1 millions d'euros.",
        "L'Agence de l'eau Loire-Bretagne en a apporté 1,2 million d'euros, le Département d'Indre-et-Loire 950 000 euros, le ministère de l'Europe et des Affaires étrangères 480 000 euros et la province de Thừa Thiên Huế 470 000 euros.",
        "Le tableau ci-dessous récapitule ces contributions.",
    ]),
    ("4. Perspectives 2025-2028", [
        "Un nouvel accord-cadre pour la période 2025-2028 doit être signé lors des 13es Assises de la coopération décentralisée franco-vietnamienne, à Rennes, en septembre 2025.",
        "Il prévoit deux priorités : le tourisme fluvial durable sur la rivière des Parfums et la gestion des risques d'inondation dans la ville basse.",
        "Le budget prévisionnel de cette nouvelle phase est de 820 000 euros, dont 300 000 euros à la charge du Département.",
        "Une mission technique de quatre agents départementaux est programmée à Huế en mars 2025 pour préparer ces actions.",
        "Le présent document sera soumis à la commission des relations internationales du Conseil départemental le 9 décembre 2024.",
    ]),
]

TABLE = [
    ("Contributeur", "Montant (euros)"),
    ("Agence de l'eau Loire-Bretagne", "1 200 000"),
    ("Département d'Indre-et-Loire", "950 000"),
    ("Ministère de l'Europe et des Affaires étrangères", "480 000"),
    ("Province de Thừa Thiên Huế", "470 000"),
    ("Total", "3 100 000"),
]


class Doc(FPDF):
    def header(self):
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, nfc(ORG), new_x="LMARGIN", new_y="NEXT", align="L")
        self.cell(0, 5, "Document de travail – diffusion restreinte", new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, f"Page {self.page_no()}/{{nb}}", align="C")


def main():
    pdf = Doc(format="A4")
    pdf.add_font("DejaVu", "", os.path.join(FONT_DIR, "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", os.path.join(FONT_DIR, "DejaVuSans-Oblique.ttf"))
    pdf.alias_nb_pages()  # {nb} -> total pages
    pdf.set_title(nfc(TITLE))
    pdf.set_author("Direction des relations internationales, Département d'Indre-et-Loire")
    pdf.set_subject("Bilan de la coopération décentralisée avec Huế (Vietnam)")
    pdf.set_creator("make_pdf.py (fpdf2)")
    pdf.set_lang("fr")
    pdf.set_creation_date(datetime.datetime(2024, 11, 18, 10, 30, tzinfo=datetime.UTC))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, nfc(TITLE), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    pdf.set_font("DejaVu", "I", 9)
    pdf.multi_cell(0, 5, "Note établie le 18 novembre 2024 par la Direction des relations internationales.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    for heading, paras in SECTIONS:
        pdf.set_font("DejaVu", "B", 12.5)
        pdf.multi_cell(0, 7, nfc(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        pdf.set_font("DejaVu", "", 11)
        for p in paras:
            pdf.multi_cell(0, 6.4, nfc(p), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2.6)
        if heading.startswith("3."):
            pdf.set_font("DejaVu", "", 10)
            with pdf.table(col_widths=(110, 50), text_align=("LEFT", "RIGHT"),
                           first_row_as_headings=True) as table:
                for row in TABLE:
                    r = table.row()
                    for c in row:
                        r.cell(nfc(c))
            pdf.ln(6)
        pdf.ln(3)

    pdf.output(OUT)
    print("wrote", OUT, "pages:", pdf.page_no())


if __name__ == "__main__":
    main()
