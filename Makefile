# clauselint — the two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= demo-out

.PHONY: demo test install bench clean docs

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The State design system (DSFR) served by `clauselint serve`: fetched from npm at build time,
# never at run time, never committed (scripts/build_dsfr.py; without npm the app uses its own stylesheet).
DSFR_STAMP := clauselint/web/static/dsfr/VERSION

$(DSFR_STAMP): scripts/build_dsfr.py
	$(PYTHON) scripts/build_dsfr.py

install: $(STAMP) $(DSFR_STAMP)

test: install
	$(BIN)/python -m pytest -q

# Demo contract: a category 3 CCAP of our corpus that lacks two required clauses and contradicts a third.
DEMO_CONTRACT := corpus/contracts/ccap-dgfip-tma-applications-recouvrement.docx

demo: install
	@echo "== 1. La bibliothèque de clauses"
	$(BIN)/clauselint clauses validate
	$(BIN)/clauselint clauses list
	@echo "== 2. Classement de l'achat de l'exemple (code, montants, taux d'externalisation)"
	$(BIN)/clauselint classify 33.04.01 --montant 450000 --montant-projet 12000000 --externalisation 0.65
	@echo "== 3. Assemblage du dossier de consultation (DCE) à partir de examples/tender.yaml"
	$(BIN)/clauselint assemble examples/tender.yaml -o $(DEMO_OUT)/dossier --force
	@echo "== 4. Vérification du DCE assemblé, toutes pièces comme un seul marché (aucune clause exigée ne doit manquer)"
	$(BIN)/clauselint lint --dossier $(DEMO_OUT)/dossier
	@echo "== 5. Vérification d'un contrat incomplet (code de sortie 1 attendu : des clauses manquent)"
	$(BIN)/clauselint lint $(DEMO_CONTRACT) || test $$? -eq 1
	@echo "== 6. Correction de ce contrat en modifications suivies"
	$(BIN)/clauselint fix $(DEMO_CONTRACT) -o $(DEMO_OUT)/contrat-corrige.docx --force
	@echo "== 7. Contrôle des livrables d'exemple (code de sortie 1 attendu : des constats)"
	$(BIN)/clauselint scan corpus/deliverables --db $(DEMO_OUT)/scan.db --format html -o $(DEMO_OUT)/livrables.html || test $$? -eq 1
	$(BIN)/clauselint scan corpus/deliverables --db $(DEMO_OUT)/scan.db || test $$? -eq 1
	@echo
	@echo "Dossier de consultation : $(DEMO_OUT)/dossier (note interne : $(DEMO_OUT)/dossier/interne/note-de-conformite.docx)"
	@echo "Contrat corrigé : $(DEMO_OUT)/contrat-corrige.docx ; rapport des livrables : $(DEMO_OUT)/livrables.html"

bench: install
	$(BIN)/python bench/assemble.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) build dist .pytest_cache
