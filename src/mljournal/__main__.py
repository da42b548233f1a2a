from mljournal.cli import main

main()
