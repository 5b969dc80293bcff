from subloc.cli import main

main()
