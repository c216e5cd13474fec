"""Name parts and places for demo customers: Dutch, Flemish and Walloon.

Small lists that combine into thousands of plausible names ("Bakkerij De Vries",
"Van den Berg Installatietechniek B.V.", "Transport Peeters BV", "Boulangerie Dubois SRL").
Surnames with a prefix are written as in a sentence ("de Vries"); `capitalised` gives the form
that starts a name ("De Vries"), as Dutch spelling wants when no initial precedes it.
"""

from __future__ import annotations

# fmt: off

SURNAMES_NL = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
    "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins",
    "Blom", "Huisman", "Kuipers", "Veenstra", "Postma", "Kramer", "van Wijk", "Scholten",
    "Timmermans", "Wolters",
)
SURNAMES_VL = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Vermeulen", "Van den Broeck", "De Clercq", "Pauwels", "Aerts", "Hermans",
    "Michiels", "Van Damme", "De Backer", "Segers", "Claeys", "Verstraete", "Stevens", "Smets",
    "Coppens", "Vandenberghe", "De Vos", "Lemmens", "Verhaegen", "Van Acker", "Desmet", "Martens",
    "Cools",
)
SURNAMES_WA = (
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Lejeune", "Renard", "Leclercq",
    "Dumont", "Lemaire", "Mathieu", "Denis", "François", "Collard", "Gilson", "Henrard", "Thiry",
    "Delvaux", "Lecomte", "Marchal", "Noël", "Piron", "Hubert", "Fontaine", "Gérard", "Jacquet",
)
INITIALS = "AABCDEFGHIJJKLMMNPRSTW"  # weighted by how often Dutch and Belgian first names start so

# Trades that put the owner's name after them (Bakkerij De Vries, Boulangerie Dubois).
TRADES_NL = (
    "Bakkerij", "Slagerij", "Transport", "Installatiebedrijf", "Bouwbedrijf", "Hoveniersbedrijf",
    "Schildersbedrijf", "Garage", "Drukkerij", "Autobedrijf", "Loodgietersbedrijf", "Timmerbedrijf",
    "Restaurant", "Kapsalon", "Bloemenhandel", "Schoonmaakbedrijf", "Zuivelhandel",
    "Dakdekkersbedrijf",
)
TRADES_VL = (
    "Bakkerij", "Slagerij", "Transport", "Bouwonderneming", "Schrijnwerkerij", "Garage",
    "Drukkerij", "Tuinaanleg", "Elektriciteitswerken", "Dakwerken", "Brasserie", "Apotheek",
    "Schilderwerken",
)
TRADES_FR = (
    "Boulangerie", "Boucherie", "Transports", "Garage", "Menuiserie", "Imprimerie", "Construction",
    "Électricité", "Plomberie", "Toitures", "Brasserie", "Pharmacie", "Jardins",
)
# Lines of business that follow the owner's name (Van den Berg Installatietechniek B.V.).
SECTORS_NL = (
    "Installatietechniek", "Bouw", "Logistiek", "Techniek", "Groothandel", "Metaal",
    "Handelsonderneming", "Automatisering", "Vastgoed", "Agrarische Diensten", "Elektrotechniek",
    "Interieurbouw", "Verhuur",
)
SECTORS_VL = (
    "Bouw", "Logistiek", "Techniek", "Metaalwerken", "Interieur", "Elektro", "Verhuur",
)
SECTORS_FR = (
    "Construction", "Logistique", "Technique", "Métal", "Intérieur", "Électro", "Location",
)
BRAND_HEADS = (
    "Techno", "Agri", "Euro", "Delta", "Noord", "Prima", "Nova", "Flex", "Bio", "Maas", "Poly",
    "Inter",
)
BRAND_TAILS = (
    "tec", "mex", "plan", "trans", "pack", "fix", "line", "bouw", "com", "serv",
)

# Legal forms, weighted by how common they are; "" is a Dutch eenmanszaak (no form in the name).
LEGAL_NL = (
    "B.V.", "B.V.", "B.V.", "V.O.F.", "",
)
LEGAL_VL = (
    "BV", "BV", "BV", "NV", "CommV",
)
LEGAL_FR = (
    "SRL", "SRL", "SRL", "SA", "SC",
)

# (city, lowest and highest 4-digit postal code). Dutch codes get two letters added.
CITIES_NL = (
    ("Amsterdam", 1011, 1109), ("Rotterdam", 3011, 3089), ("Den Haag", 2491, 2599),
    ("Utrecht", 3511, 3585), ("Eindhoven", 5611, 5658), ("Groningen", 9711, 9747),
    ("Tilburg", 5011, 5049), ("Almere", 1311, 1359), ("Breda", 4811, 4839),
    ("Nijmegen", 6511, 6546), ("Apeldoorn", 7311, 7339), ("Haarlem", 2011, 2037),
    ("Arnhem", 6811, 6846), ("Enschede", 7511, 7548), ("Amersfoort", 3811, 3829),
    ("Zwolle", 8011, 8044), ("Leiden", 2311, 2334), ("Maastricht", 6211, 6229),
    ("Dordrecht", 3311, 3329), ("Leeuwarden", 8911, 8941), ("'s-Hertogenbosch", 5211, 5237),
    ("Venlo", 5911, 5928), ("Deventer", 7411, 7429), ("Delft", 2611, 2629), ("Alkmaar", 1811, 1827),
    ("Helmond", 5701, 5709), ("Hilversum", 1211, 1223), ("Emmen", 7811, 7828),
    ("Zaandam", 1501, 1509), ("Assen", 9401, 9409), ("Middelburg", 4331, 4339),
    ("Heerenveen", 8441, 8448),
)
CITIES_VL = (
    ("Antwerpen", 2000, 2000), ("Gent", 9000, 9000), ("Brugge", 8000, 8000), ("Leuven", 3000, 3000),
    ("Mechelen", 2800, 2800), ("Aalst", 9300, 9300), ("Kortrijk", 8500, 8500),
    ("Hasselt", 3500, 3500), ("Sint-Niklaas", 9100, 9100), ("Oostende", 8400, 8400),
    ("Genk", 3600, 3600), ("Roeselare", 8800, 8800), ("Turnhout", 2300, 2300),
    ("Lokeren", 9160, 9160), ("Herentals", 2200, 2200), ("Geel", 2440, 2440),
)
CITIES_WA = (
    ("Liège", 4000, 4000), ("Charleroi", 6000, 6000), ("Namur", 5000, 5000), ("Mons", 7000, 7000),
    ("La Louvière", 7100, 7100), ("Tournai", 7500, 7500), ("Verviers", 4800, 4800),
    ("Wavre", 1300, 1300), ("Arlon", 6700, 6700), ("Nivelles", 1400, 1400), ("Huy", 4500, 4500),
    ("Mouscron", 7700, 7700),
)
CITIES_BRUSSELS = (
    ("Brussel", 1000, 1000), ("Anderlecht", 1070, 1070), ("Schaerbeek", 1030, 1030),
    ("Ixelles", 1050, 1050), ("Etterbeek", 1040, 1040), ("Uccle", 1180, 1180),
    ("Jette", 1090, 1090),
)
# Dutch postal code letters: F, I, O, Q, U and Y are not used, nor the pairs SA, SD and SS.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
POSTCODE_PAIRS_NOT_USED = frozenset({"SA", "SD", "SS"})

STREETS_NL = (
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Industrieweg", "Hoofdstraat",
    "Schoolstraat", "Nieuwstraat", "Marktplein", "Havenstraat", "Julianalaan", "Wilhelminastraat",
    "Beatrixlaan", "Parallelweg", "Ambachtsweg", "Nijverheidsweg", "Kanaalweg", "Handelsweg",
)
STREETS_VL = (
    "Kerkstraat", "Stationsstraat", "Nieuwstraat", "Molenstraat", "Dorpstraat", "Industrielaan",
    "Kapelstraat", "Schoolstraat", "Steenweg", "Kouter", "Ambachtenlaan",
)
STREETS_FR = (
    "Rue de la Station", "Rue de l'Église", "Chaussée de Bruxelles", "Rue du Moulin",
    "Rue des Écoles", "Place du Marché", "Rue Haute", "Avenue des Champs", "Rue de l'Industrie",
    "Zoning Industriel",
)
# Area codes of both countries, for numbers that look real (the demo never dials them).
AREA_NL = (
    "20", "10", "70", "30", "40", "50", "13", "36", "76", "24", "55", "23", "26", "53", "33", "38",
)
AREA_BE = (
    "3", "9", "50", "16", "15", "53", "56", "11", "4", "71", "81", "65", "2", "10", "67", "85",
)

# fmt: on


def capitalised(surname: str) -> str:
    """ "van den Berg" -> "Van den Berg": a Dutch prefix is capitalised when no initial precedes it."""
    return surname[:1].upper() + surname[1:]


def slug(text: str) -> str:
    """Letters and digits only, lower case, words joined by '-': for e-mail domains."""
    replacements = str.maketrans("éèêëàâçôöîïüû'&", "eeeeaacooiiuu  ")
    words = "".join(
        c if c.isalnum() or c == " " else " " for c in text.lower().translate(replacements)
    ).split()
    return "-".join(words)
