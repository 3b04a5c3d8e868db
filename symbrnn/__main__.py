from symbrnn.cli import main

main()
