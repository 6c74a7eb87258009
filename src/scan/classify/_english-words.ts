/**
 * English words, for telling a value that reads as words (`invalid-token`, `keyboard cat`) from a secret.
 *
 * Source: SCOWL (Spell Checker Oriented Word Lists) by Kevin Atkinson, size 35 (the `american-english-small`
 * list Debian ships as wamerican-small): the lowercase words of 3 to 14 letters a-z, with inflected forms whose
 * stem is also listed (`tokens`, `signed`, `loading`) folded into the stem; `english-words.ts` unfolds them
 * when it looks a word up. About 19,000 words, 160 KB.
 *
 * SCOWL is Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these
 * word lists, the associated scripts, the output created from the scripts, and its documentation for any
 * purpose is hereby granted without fee, provided that the above copyright notice appears in all copies and
 * that both that copyright notice and this permission notice appear in supporting documentation. Kevin
 * Atkinson makes no representations about the suitability of this array for any purpose. It is provided
 * "as is" without express or implied warranty.
 */
export const ENGLISH_WORDS: string = `
aardvark abaci aback abacus abandon abandonment abate abbey abbot abbreviate abbreviation abdicate
abdication abdomen abdominal abduct aberration abet abetted abetting abhor abhorred abhorrence
abhorrent abhorring abide ability abject ablaze able abler ablest ably abnormal abnormality aboard
abode abolish abolition abominable abomination aboriginal aborigine abort abortion abortive abound
about above aboveboard abrasive abreast abridge abroad abrupt abrupter abruptest abscess abscond
absence absent absentee absolute absolutest absolve absorb absorbent absorption abstain abstention
abstinence abstract abstraction abstruse absurd absurder absurdest absurdity abundance abundant
abuse abuser abusive abysmal abyss academic academically academy accede accelerate acceleration
accelerator accent accentuate accept acceptability acceptable acceptably acceptance access
accessibility accessible accessory accident accidental acclaim acclimate acclimatize accolade
accommodate accommodation accompanied accompaniment accompanist accompany accomplice accomplish
accomplishment accord accordance accordion accost account accountability accountable accountancy
accountant accredit accrue accumulate accumulation accuracy accurate accusation accuse accuser
accustom ace ache achievable achieve achievement acid acidity acknowledge acknowledgment acne acorn
acoustic acquaint acquaintance acquiesce acquiescence acquire acquisition acquit acquittal acquitted
acquitting acre acreage acrid acrider acridest acrimonious acrimony acrobat acrobatic acronym across
acrylic act action activate active activist activity actor actress actual actuality actuary acumen
acupuncture acute acuter acutest adage adamant adapt adaptable adaptation adapter adaptive adaptor
add addendum addict addiction addictive addition additional additive address addressee adept
adequate adhere adherence adherent adhesion adhesive adjacent adjective adjoin adjourn adjournment
adjunct adjust adjustable adjustment administer administration administrative administrator
admirable admirably admiral admiration admire admirer admissible admission admit admittance admitted
admitting admonish admonition ado adobe adolescence adolescent adopt adoption adorable adoration
adore adorn adornment adrift adroit ads adulation adult adulterate adulteration adultery adulthood
advance advancement advantage advantageous advent adventure adventurer adventurous adverb adverbial
adversary adverse adverser adversest adversity advert advertise advertisement advertiser advice
advisable advise adviser advisor advisory advocate aeon aerial aerodynamic aerosol aerospace
aesthetic aesthetically afar affable affably affair affect affectation affection affectionate
affidavit affiliate affiliation affinity affirm affirmation affirmative affix afflict affliction
affluence affluent afford affordable affront afield aflame afloat afoot aforementioned aforesaid
afraid afresh after aftereffect afterlife afterlives aftermath afternoon afterthought afterward
again against age agency agenda agent aggravate aggravation aggregate aggression aggressive
aggressiveness aggressor aghast agile agility agitate agitation agitator aglow agnostic agnosticism
ago agonize agony agree agreeable agreeably agreement agricultural agriculture aground ahead ahoy
aid aide ail ailment aim aimless air airborne aircraft airfield airier airiest airline airliner
airmail airplane airport airstrip airtight airy aisle ajar akin alarm alarmist alas albeit albino
album alcohol alcoholic alcoholism alcove ale alert alga algae algebra algebraic algorithm alias
alibi alien alienate alienation alight align alignment alike alimony aline alinement alit alive
alkali alkaline all allay allegation allege allegiance allegorical allegory allergic allergy
alleviate alley alliance allied alligator allocate allocation allot allotment allotted allotting
allow allowable allowance alloy allude allure allusion ally almanac almighty almond almost alms
aloft alone along alongside aloof aloud alpha alphabet alphabetic alphabetical alphanumeric already
also altar alter alterable alteration alternate alternation alternative alternator altho although
altitude alto altogether altruism altruistic aluminum always amalgamate amalgamation amass amateur
amateurish amaze amazement ambassador amber ambiance ambidextrous ambience ambient ambiguity
ambiguous ambition ambitious ambivalence ambivalent amble ambulance ambush ameba amebae ameer amen
amenable amend amendment amenity amethyst amiable amiably amicable amicably amid amidst amir amiss
ammonia ammunition amnesia amnestied amnesty amoeba amoebae amok among amongst amoral amorous
amorphous amount amp ampere ampersand amphetamine amphibian amphibious amphitheater amphitheatre
ample ampler amplest amplification amplified amplifier amplify amplitude amputate amputation amuck
amulet amuse amusement anachronism anaemia anaemic anaesthesia anaesthetic anagram anal analgesic
analog analogous analogue analogy analyses analysis analyst analytic analytical analyze analyzer
anarchic anarchism anarchist anarchy anathema anatomical anatomy ancestor ancestral ancestry anchor
anchorage anchovy ancient ancienter ancientest and android anecdota anecdote anemia anemic
anesthesia anesthetic anew angel angelic anger angle angler angrier angriest angrily angry angst
anguish angular ani animal animate animation animosity ankle annals annex annexation annihilate
annihilation anniversary annotate annotation announce announcement announcer annoy annoyance annual
annuity annul annulled annulling annulment anoint anomalous anomaly anon anonymity anonymous anorak
another answer answerable ant antagonism antagonist antagonistic antagonize anteater antelope
antenna antennae anthem anthill anthology anthrax anthropologist anthropology antibiotic antibody
antic anticipate anticipation anticlimax antidote antifreeze antipathy antiquate antique antiquity
antiseptic antisocial antitheses antithesis antler antonym anus anvil anxiety anxious any anybody
anyhow anyone anyplace anything anyway anywhere aorta aortae apart apartheid apartment apathetic
apathy ape aperture apex aphorism apices apiece aplomb apocryphal apologetic apologetically
apologize apology apostle apostrophe appal appall apparatus apparel apparelled apparelling apparent
apparition appeal appear appearance appease appeasement append appendage appendices appendicitis
appendix appetite appetizer appetizing applaud applause apple appliance applicability applicable
applicant application applicator applied apply appoint appointee appointment apposite appraisal
appraise appreciable appreciate appreciation appreciative apprehend apprehension apprehensive
apprentice apprenticeship approach approachable appropriate appropriation approval approve
approximate approximation apricot apron apt apter aptest aptitude aquamarine aquaria aquarium
aquatic aqueduct arable arbiter arbitrarily arbitrary arbitrate arbitration arbitrator arbor arc
arcade arcane arch archaeological archaeologist archaeology archaic archbishop archeological
archeologist archeology archer archery archest archetypal archetypical archipelago architect
architectural architecture archive archway arcked arcking ardent ardor arduous are area arena
arguable arguably argue argument argumentative aria arid arise arisen aristocracy aristocrat
aristocratic arithmetic ark arm armadillo armament armchair armistice armor armory armpit army aroma
aromatic arose around arouse arraign arrange arrangement array arrears arrest arrival arrive
arrogance arrogant arrow arsenal arsenic arson art artefact arterial artery artful arthritic
arthritis artichoke article articulate articulation artifact artifice artificial artillery artisan
artist artistic artistically artistry artwork asbestos ascend ascension ascent ascertain ascetic
ascribe asexual ash ashamed ashcan ashen ashore ashtray aside ask askance askew asleep asparagus
aspect aspen aspersion asphalt asphyxiate asphyxiation aspirant aspiration aspire aspirin ass assail
assailant assassin assassinate assassination assault assaulter assemble assembler assembly assent
assert assertion assertive assessment assessor asset assign assignment assimilate assimilation
assist assistance assistant associate association associative assort assortment assume assumption
assurance assure asterisk asteroid asthma astonish astonishment astound astray astride astringent
astrological astrology astronaut astronomer astronomical astronomy astute astuter astutest asylum
asymmetry asynchronous ate atheism atheist atheistic athlete athletic atlas atmosphere atmospheric
atom atomic atone atonement atrocious atrocity attach attachment attack attacker attain attainment
attempt attend attendance attendant attention attentive attest attic attire attitude attorney
attract attraction attractive attractiveness attributable attribute attribution auburn auction
auctioneer audacious audacity audible audibly audience audio audit audition auditor auditoria
auditorium auditory augment august auguster augustest aunt aura aurae aural auspicious austere
austerer austerest austerity authentic authentically authenticate authenticity author authoritarian
authoritative authority authorization authorize authorship auto autobiography autocracy autocrat
autocratic autograph automate automatic automatically automation automobile automotive autonomous
autonomy autopsied autopsy autumn autumnal auxiliary avail availability available avalanche avarice
avaricious avenge avenue average averse aversion avert aviation aviator avid avocado avoid avoidable
avoidance avow avowal await awake awaken award aware awareness away awe awesome awful awfuller
awfullest awhile awkward awkwarder awkwardest awkwardness awning awoke awoken awry axe axiom
axiomatic axis axle aye azalea azure babble babe babied babier babiest baboon baby babyish bachelor
back backbone backer backfire backgammon background backhand backlash backlog backlogged backlogging
backpack backside backslash backspace backstage backtrack backward backwoods bacon bacteria
bacterial bacterium bad badder baddest bade badge badger badminton badness baffle bag bagel baggage
bagged baggier baggiest bagging baggy bail bait bake baker bakery balance balcony bald balder
baldest baldness bale balk ball ballad ballast ballerina ballet ballistics balloon ballot ballroom
balm balmier balmiest balmy baloney bamboo bamboozle ban banal banana band bandage bandana bandanna
bandied bandier bandiest bandit banditti bandstand bandwagon bandwidth bandy bang bani banish
banister banjo bank banker banknote bankrupt bankruptcy banned banner banning bannister banquet
banter baptism baptize bar barb barbarian barbaric barbarous barbecue barbeque barber barbiturate
bard bare bareback barefoot barer barest bargain bargainer barge baritone bark barley barman barn
barnacle barnyard barometer baron baroque barrage barred barrel barrelled barrelling barren barrener
barrenest barrette barricade barrier barring barrister bartender barter base baseball baseline
basement baser basest bash bashful basic basically basil basin basis bask basket basketball bass
bassoon bastard baste bat batch bath bathe bathroom bathtub baton batsman battalion batted batter
battery batting battle battlefield battleship baud bawdier bawdiest bawdy bawl bay bayonet
bayonetted bayonetting bayou bazaar beach beacon bead beadier beadiest beady beagle beak beaker beam
bean bear bearable beard bearer beast beat beaten beater beautician beautified beautiful beautify
beauty beaver became because beckon become bed bedbug bedclothes bedded bedder bedding bedlam
bedridden bedrock bedroom bedside bedspread bedtime bee beech beef beefier beefiest beefy beehive
been beeper beer beeswax beet beetle beeves befall befallen befell befit befitted befitting before
beforehand befriend beg began beggar begged begging begin beginner beginning begrudge beguile begun
behalf behalves behave behavior behavioral behead beheld behind behold beholder beige belabor
belated belch belfry belie belief believable believe believer belittle bell bellboy bellhop bellied
belligerent bellow belly belong beloved below belt belying bemoan bemuse bench bend bender beneath
benediction benefactor beneficial beneficiary benefit benefitted benefitting benevolence benevolent
benighted benign bent bequeath bequest bereave bereavement bereft beret berried berry berserk berth
beseech beset besetting beside besiege besought best bestial bestiality bestow bet beta betcha
betray betrayal betrothal betted better betterment betting bettor between beverage beware bewilder
bewilderment bewitch beyond bias biassed biassing bib bible biblical bibliographic bibliography
bicentennial bicker bicycle bid bidden bidding bide biennial bifocals big bigamist bigamous bigamy
bigger biggest bigot bigotry bike bikini bilateral bile bilingual bill billboard billfold billiards
billion billow bin binary bind binder bingo binned binning binomial biochemical biochemistry
biodegradable biographer biographical biography biological biologist biology bipartisan biped
biplane birch bird birdcage birth birthday birthmark birthplace biscuit bisect bisexual bishop bison
bit bitch bite bitmap bitten bitter bitterer bitterest bitterness bittersweet bizarre blab blabbed
blabbing black blackberry blackbird blackboard blacken blacker blackest blackhead blackjack
blacklist blackmail blackmailer blackout blacksmith blacktop blacktopped blacktopping bladder blade
blame blameless blamer blanch blancmange bland blander blandest blank blanker blankest blanket blare
blaspheme blasphemous blasphemy blast blaster blatant blaze blazer bleach bleak bleaker bleakest
blearier bleariest bleary bleat bled bleed blemish blend blent bless blest blew blight blimp blind
blinder blindest blindfold blindness blink blinker blip bliss blissful blister blithe blither
blithest blitz blizzard blob blobbed blobbing bloc block blockade blockage blockbuster blockhead
blog blogged blogger blogging blond blonde blonder blondest blood bloodhound bloodied bloodier
bloodiest bloodshed bloodshot bloodstream bloodthirstier bloodthirsty bloody bloom blossom blot
blotch blotted blotter blotting blouse blow blown blowout blowtorch blubber bludgeon blue bluebell
blueberry bluebird bluegrass blueprint bluer bluest bluff bluffer bluffest blunder blunt blunter
bluntest bluntness blur blurb blurred blurring blurt blush bluster boa boar board boarder boardwalk
boast boastful boat bob bobbed bobbin bobbing bobcat bobsled bobsledded bobsledding bode bodice
bodily body bodyguard bodywork bog bogged bogging boggle bogus boil boiler boisterous bold bolder
boldest boldness bologna boloney bolster bolt bomb bombard bombardment bomber bond bondage bone
boney boneyer boneyest bonfire bonier boniest bonnet bonus bony boo booby book bookcase bookend
bookkeeper bookkeeping booklet bookmark bookshelf bookshop bookstore bookworm boom boomerang boon
boor boorish boost booster boot bootee booth bootie bootleg bootlegged bootlegging bootstrap booty
booze bop border borderline bore boredom born borne borough borrow bosom boss bossier bossiest bossy
botanical botanist botany botch both bother bothersome bottle bottleneck bottom bottomless bough
bought boulder boulevard bounce bound boundary boundless bountiful bounty bouquet bourbon bourgeois
bourgeoisie bout boutique bovine bow bowel bowl bowlder bowlegged bowler box boxcar boxer boy
boycott boyfriend boyhood boyish bra brace bracelet bracket brackish brag braggart bragged bragging
braid brain brainier brainiest brainless brainstorm brainwash brainy braise brake bran branch brand
brandied brandish brandy brash brasher brashest brassier brassiere brassiest brassy brat bravado
brave braver bravery bravest bravo brawl brawn brawnier brawniest brawny bray brazen brazier breach
bread breadth breadwinner break breakable breakdown breakfast breakneck breakpoints breakthrough
breakwater breast breath breathe breather breathless breathtaking bred breed breeder breeze breezier
breeziest breezy brethren brevity brew brewery bribe bribery brick bricklayer bridal bride
bridegroom bridesmaid bridge bridle brief briefcase briefer briefest brigade bright brighten
brighter brightest brightness brilliance brilliant brim brimmed brimming brimstone brine bring
brinier briniest brink briny brisk brisker briskest bristle britches brittle brittler brittlest
broach broad broadcast broaden broader broadest broadside brocade broccoli brochure broil broiler
broke broken broker bronchitis broncho bronco bronze brooch brood brook broom broth brother
brotherhood brought brow browbeat browbeaten brown browner brownest brownie browse bruise brunch
brunette brunt brush brusk brusker bruskest brusque brusquer brusquest brutal brutality brute
brutish bubble bubblier bubbliest bubbly buck bucket buckle bud budded budding buddy budge budget
buff buffalo buffer buffet buffoon bug bugged bugger buggier buggiest bugging buggy bugle bugler
build builder built bulb bulbous bulge bulk bulkier bulkiest bulky bull bulldog bulldogged
bulldogging bulldoze bulldozer bullet bulletin bullfight bullfighter bullfrog bullied bullion bully
bum bumblebee bummed bummer bummest bumming bump bumper bumpier bumpiest bumpy bun bunch bundle bung
bungalow bungle bungler bunion bunk bunker bunny buoy buoyancy buoyant burble burden burdensome
bureau bureaucracy bureaucrat bureaucratic bureaux burger burglar burglary burgle burial buried
burlap burlier burliest burly burn burner burnish burnt burp burr burro burrow bursar burst bury bus
bush bushel bushelled bushelling bushier bushiest bushy busied busier busiest busily business
businessman businessmen businesswoman businesswomen bust bustle busy busybody but butcher butchery
butler butt butte butter buttercup butterflied butterfly buttermilk butterscotch buttery buttock
button buttonhole buttress buxom buy buyer buzz buzzard buzzer bye bygone bypass bypast bystander
byte byway cab cabaret cabbage cabbed cabbing cabin cabinet cable caboose cacao cache cackle cacti
cactus cad caddie caddy cadence cadet cafeteria caffeine cage cagey cagier cagiest cagy cajole cake
calamity calcium calculate calculation calculator calculi calculus calendar calf caliber calibrate
calibration calico calk call callable caller calligraphy callous callow callus calm calmer calmest
calmness calorie calve cam camaraderie came camel cameo camera camouflage camp campaign campaigner
camper campus can canal canary cancel cancelation cancellation cancelled cancelling cancer candid
candidacy candidate candied candle candlestick candor candy cane canine canister canker canned
cannery cannibal cannibalism cannier canniest canning cannon cannot canny canoe canon canonical
canopied canopy cant cantaloup cantaloupe cantankerous canteen canter canvas canvasser canyon cap
capability capable capably capacitance capacitor capacity cape caper capillary capital capitalism
capitalist capitalization capitalize capitulate capped capping caprice capricious capsize capsule
captain caption captivate captive captivity captor capture car caramel carat caravan carbohydrate
carbon carburetor carcass carcinogenic card cardboard cardiac cardigan cardinal care career carefree
careful carefuller carefullest carefulness careless carelessness caretaker cargo caribou caricature
carnage carnal carnation carnival carnivore carnivorous carol carolled carolling carouse carp
carpenter carpentry carpet carriage carriageway carried carrier carrion carrot carry cart cartel
cartilage cartographer cartography carton cartoon cartoonist cartridge cartwheel carve cascade case
cash cashew cashier cashmere casino cask casket casserole cassette cassino cast castaway caste
caster castigate castle castoff castrate casual casualty cat cataclysm cataclysmic catalog catalogue
catapult cataract catastrophe catastrophic catcall catch catchier catchiest catchment catchup catchy
catechism categorical categorize category cater caterer caterpillar catfish cathedral catholic
catnap catnapped catnapping catnip catsup cattle catwalk caucus caucussed caucussing caught
cauliflower caulk causal causality cause causeway caustic caution cautious cavalier cavalry cave
caveat cavern caviar caviare cavity cavort caw cease ceasefire ceaseless cedar cede ceiling
celebrate celebration celebrity celery celestial celibacy celibate cell cellar celli cellist cello
cellophane cellular cellulose cement cemetery censor censorship censure census cent centennial
center centerpiece centimeter centipede central centralize centrifuge century ceramic cereal
cerebral ceremonial ceremonious ceremony certain certainty certificate certified certify cervical
cessation chafe chaff chagrin chagrinned chagrinning chain chainsaw chair chairman chairmen
chairperson chalet chalice chalk chalkier chalkiest chalky challenge challenger chamber chameleon
champ champagne champion championship chance chancellor chandelier change changeable changeover
channel channelled channelling chant chaos chaotic chap chapel chaperon chaperone chaplain chapped
chapping chapt chapter char character characteristic characterize charcoal charge chargeable charger
chariot charisma charismatic charitable charitably charity charlatan charm charred charring chart
charter chase chasm chassis chaste chasten chaster chastest chastise chastisement chastity chat
chatted chatter chatterbox chattier chattiest chatting chatty chauffeur chauvinist cheap cheapen
cheaper cheapest cheapness cheat check checker checkout checkpoint checkup cheek cheep cheer
cheerful cheerfuller cheerfullest cheerfulness cheerier cheeriest cheery cheese cheesecloth cheetah
chef chemical chemist chemistry cherish cherry cherub cherubim chess chest chestnut chew chewier
chewiest chewy chi chic chicer chicest chick chicken chid chidden chide chief chiefer chiefest
chieftain child childbirth childhood childish childlike children chile chili chill chiller chillest
chilli chillier chilliest chilly chime chimney chimp chimpanzee chin china chink chinned chinning
chintz chip chipmunk chipped chipper chipping chiropractor chirp chisel chiselled chiselling
chivalrous chivalry chlorine chloroform chlorophyll chocolate choice choicer choicest choir choke
cholera cholesterol choose choosey choosier choosiest choosy chop chopped chopper choppier choppiest
chopping choppy choral chord chore choreographer choreography chortle chorus chorussed chorussing
chose chosen chow chowder christen chrome chromium chromosome chronic chronically chronicle
chronological chronology chrysanthemum chubbier chubbiest chubby chuck chuckle chug chugged chugging
chum chummed chummier chummiest chumming chummy chunk chunkier chunkiest chunky church churn chute
cider cigar cigaret cigarette cinch cinder cinema cinnamon cipher circa circle circuit circuitous
circuitry circular circulate circulation circulatory circumcise circumcision circumference
circumflex circumstance circumstantial circumvent circumvention circus cistern citation cite citizen
citizenship citric citrus city civic civil civilian civility civilization civilize clack clad claim
clairvoyance clairvoyant clam clamber clammed clammier clammiest clamming clammy clamor clamp clan
clandestine clang clank clap clapped clapper clapping claptrap claret clarification clarified
clarify clarinet clarity clash clasp class classic classical classification classified classify
classmate classroom classy clatter clause claustrophobia claw clay clean cleaner cleanest cleanlier
cleanliest cleanliness cleanse cleanser clear clearance clearer clearest clearness cleat cleavage
cleave cleaver clef cleft clemency clench clergy clergyman clergymen cleric clerical clerk clever
cleverer cleverest cleverness click client cliff clii climactic climate climax climb climber clime
clinch cling clinic clinical clink clip clipboard clipped clipping clipt clique clitoris clix cloak
clock clockwise clockwork clod clog clogged clogging cloister clone close closeness closer closest
closet closure clot cloth clothe clothespin clotted clotting cloud cloudburst cloudier cloudiest
cloudy clout clove cloven clover clown club clubbed clubbing clubhouse cluck clue clueless clump
clumsier clumsiest clumsily clumsiness clumsy clung cluster clutch clutter clvi clvii clxi clxii
clxiv clxix clxvi clxvii coach coagulate coagulation coal coalesce coalition coarse coarsen
coarseness coarser coarsest coast coastal coaster coastline coat coax cob cobalt cobble cobbler
cobra cobweb cocaine cock cockeyed cockier cockiest cockpit cockroach cocktail cocky cocoa cocoanut
coconut cocoon cod codded codding code coefficient coerce coercion coexist coexistence coffee coffer
coffin cog cogency cogent cognac cognitive coherence coherent coil coin coinage coincide coincidence
coincidental coke col colander cold colder coldest coldness colic collaborate collaboration
collaborative collaborator collage collapse collapsible collar collarbone collate collateral
collation colleague collect collection collective collector college collegiate collide collie
collision colloquial colloquialism collusion colon colonel colonial colonization colonize colony
color colorful colorless colossal colt column coma comb combat combatant combatted combatting
combination combine combustible combustion come comeback comedian comedy comelier comeliest
comestible comet comfort comfortable comfortably comic comical comma command commandant commandeer
commander commandment commando commemorate commemoration commence commencement commend commendable
commendation comment commentary commentator commerce commercial commercialism commercialize
commiserate commiseration commission commissioner commit commitment committed committee committing
commodity commodore common commoner commonest commonplace commonwealth commotion communal commune
communicable communicate communication communicative communicator communion communique communism
communist community commutative commute commuter compact compacter compactest compaction companion
companionship company comparable comparative compare comparison compartment compass compassion
compassionate compatibility compatible compatriot compel compelled compelling compensate
compensation compete competence competent competition competitive competitor compilation compile
compiler complacency complacent complain complaint complement complementary complete completeness
completer completest completion complex complexion complexity compliance compliant complicate
complication complied compliment complimentary comply component compose composer composite
composition compost composure compound comprehend comprehensible comprehension comprehensive
compress compression comprise compromise compulsion compulsive compulsory compunction computation
computational compute computer computerize comrade comradeship con concatenate concatenation concave
conceal concealment concede conceit conceivable conceivably conceive concentrate concentration
concentric concept conception conceptual concern concert concerti concerto concession conciliate
conciliation concise conciseness conciser concisest conclude conclusion conclusive concoct
concoction concord concordance concourse concrete concur concurred concurrence concurrency
concurrent concurring concussion condemn condemnation condensation condense condescend condiment
condition conditional condolence condom condominium condone condor conducive conduct conductor cone
confection confederacy confederate confederation confer conference conferred conferrer conferring
confess confession confetti confidant confide confidence confident confidential configurable
configuration configure confine confinement confirm confirmation confiscate confiscation conflict
conform conformity confound confront confrontation confuse confusion congeal congenial congest
congestion conglomerate congratulate congregate congregation congress congressman congressmen
congresswoman congresswomen congruent conical conifer coniferous conjecture conjugal conjugate
conjugation conjunction conjure connect connecter connection connective connectivity connector
conned conning connoisseur connotation connote conquer conqueror conquest conscience conscientious
conscious consciousness consecrate consecutive consensus consent consequence consequent
consequential conservation conservatism conservative conservatory conserve consider considerable
considerably considerate consideration consign consignment consist consistency consistent
consolation console consolidate consolidation consonant consort consortium conspicuous conspiracy
conspirator conspire constancy constant constellation consternation constipation constituency
constituent constitute constitution constitutional constrain constraint constrict constriction
construct construction constructive construe consul consular consulate consult consultancy
consultant consultation consumable consume consumer consumerism consummate consumption contact
contagion contagious contain container contaminate contamination contemplate contemplation
contemplative contemporary contempt contemptible contemptuous contend contender content contention
contentious contentment contest contestant context contextual contiguous continent continental
contingency contingent continual continuation continue continuity continuous continuum contort
contortion contour contraband contraception contraceptive contract contraction contractor
contractual contradict contradiction contradictory contraption contrary contrast contravene
contravention contribute contribution contributor contributory contrite contrive control
controllable controlled controller controlling controversial controversy convalesce convalescence
convalescent convection convene convenience convenient convent convention conventional converge
convergence conversant conversation conversational converse conversion convert converter convertible
convertor convex convey conveyance convict conviction convince convoluted convoy convulse convulsion
convulsive coo cook cookbook cooker cookie cooky cool cooler coolest coop cooper cooperate
cooperation cooperative coordinate coordination coordinator cop cope copied copier copious copped
copper copperhead copping copulate copulation copy copyright coral cord cordial cordless cordon
corduroy core cork corkscrew corn cornea corner cornet cornflakes cornier corniest cornmeal
cornstarch corny corollary coronary coronation coroner corporal corporate corporation corps corpse
corpulent corpus corpuscle corral corralled corralling correct correcter correctest correction
corrective correctness corrector correlate correlation correspond correspondence correspondent
corridor corroborate corroboration corrode corrosion corrosive corrupt corrupter corruptest
corruptible corruption corsage corset cortex cosier cosiest cosmetic cosmic cosmology cosmonaut
cosmopolitan cosmos cost costlier costliest costume cosy cot cottage cotton cottontail cottonwood
couch cougar cough could council councillor councilor counsel counselled counsellor counselor count
countable countdown countenance counter counteract counterattack counterbalance counterexample
counterfeit counterpart countersign countess countless country countryman countrymen countryside
county coup couple coupon courage courageous courier course courser court courteous courtesy
courthouse courtroom courtship courtyard cousin cove covenant cover coverage covert covet covetous
cow coward cowardice cowboy cower cowgirl cowhide cox coy coyer coyest coyote cozier coziest cozily
coziness cozy crab crabbed crabbier crabbiest crabbing crabby crack cracker crackle crackpot cradle
craft craftier craftiest craftily craftsman craftsmen crafty crag craggier craggiest craggy cram
crammed cramming cramp cranberry crane crania cranium crank crankier crankiest cranky crap crash
crass crasser crassest crate crater crave crawfish crawl crayfish crayon craze crazier craziest
crazily craziness crazy creak creakier creakiest creaky cream creamier creamiest creamy crease
create creation creative creativity creator creature credence credential credibility credible credit
creditable creditor credulous creed creek creep creepier creepiest creepy cremate cremation crepe
crept crescendi crescendo crescent crest crestfallen cretin cretinous crevasse crevice crew crib
cribbed cribbing cricket cried crime criminal crimson cringe crinkle cripple crises crisis crisp
crisper crispest crispy crisscross criteria criterion critic critical criticism criticize critique
croak crochet croci crock crockery crocodile crocus crofts crony crook crookeder crookedest croon
crop cropped cropping croquet cross crossbow crosser crossest crossroad crosswalk crossword crotch
crouch crow crowbar crowd crown crucial crucified crucifix crucifixion crucify crude cruder crudest
crudity cruel crueler cruelest crueller cruellest cruelty cruise cruiser crumb crumble crumblier
crumbliest crummier crummiest crummy crumple crunch crunchy crusade crusader crush crust crustacean
crustier crustiest crusty crutch crux cry crybaby crypt cryptic crystal crystalize crystallize cub
cube cubic cubicle cuckoo cucumber cuddle cuddly cue cuff cuisine culinary cull cullender culminate
culmination culpable culprit cult cultivate cultivation cultural culture cum cumbersome cumming
cumulative cunning cunninger cunningest cup cupboard cupful cupped cupping cupsful cur curable
curator curb curd curdle cure curfew curio curiosity curious curl currant currency current curricula
curriculum curried curry curse cursor cursory curst curt curtail curtain curter curtest curtsey
curtsied curtsy curvature curve cushion custard custodian custody custom customary customer
customization customize cut cutback cute cuter cutest cuticle cutlery cutlet cutter cutthroat
cutting cyanide cybernetics cycle cyclic cyclist cyclone cylinder cylindrical cymbal cynic cynical
cynicism cypress cyst czar dab dabbed dabbing dabble dachshund dad daddy daemon daffodil daft dagger
daily daintier daintiest daintily dainty dairy dais daisy dallied dally dam damage dame dammed
damming damn damnation damndest damnedest damp dampen damper dampest dampness damsel dance dancer
dandelion dandier dandiest dandruff dandy danger dangerous dangle dank danker dankest dapper
dapperer dapperest dare daredevil dark darken darker darkest darkness darling darn dart dash
dashboard dastardly data database date datum daub daughter daunt dauntless dawdle dawn day daybreak
daydream daydreamt daylight daytime daze dazzle deacon dead deaden deader deadest deadlier deadliest
deadline deadlock deaf deafer deafest deafness deal dealer dealt dean dear dearer dearest dearth
death deathbed deaves debase debasement debatable debate debauchery debilitate debility debit
debonair debrief debris debt debtor debug debugged debugger debugging debunk debut decade decadence
decadent decanter decapitate decay decease deceit deceitful deceive decency decent decentralize
deception deceptive decibel decide deciduous decimal decimate decipher decision decisive deck
declaration declare declension decline decode decoder decompose decomposition decorate decoration
decorative decorator decorous decorum decoy decrease decree decrepit decried decry dedicate
dedication deduce deduct deduction deductive deed deem deep deepen deeper deepest deer deface
defamation defamatory defame default defeat defeatist defecate defect defective defend defendant
defender defense defenseless defensible defensive defer deference deferential deferred deferring
defiance defiant deficiency deficient deficit defied defile definable define definite definition
definitive deflate deflation deflect deflection deform deformity defraud defrost deft defter deftest
defunct defy degenerate degradation degrade degree dehydrate deified deify deign deity deject
dejection delay delectable delegate delegation delete deleterious deletion deli deliberate
deliberation delicacy delicate delicatessen delicious delight delightful delimit delimiter
delinquency delinquent deliria delirious delirium deliver deliverance delivery delta delude deluge
delusion deluxe delve demagog demagogue demand demean demeanor demented dementia demerit demise
democracy democrat democratic democratically demolish demolition demon demonstrably demonstrate
demonstration demonstrative demonstrator demoralize demote demotion demount demure demurer demurest
den denial denied denigrate denim denomination denominator denote denounce dense denser densest
density dent dental dentist dentistry denunciation deny deodorant deodorize depart department
departmental departure depend dependable dependance dependant dependence dependency dependent depict
depiction deplete deplorable deplore deport deportation deportment depose deposit depot deprave
depravity deprecate depreciate depreciation depress depression deprivation deprive depth deputy
derail derailment derange derelict deride derision derivation derivative derive derogatory derrick
descend descendant descendent descent describable describe description descriptive descriptor
desecrate desecration desegregation desert deserter deserve design designate designation designer
desirability desirable desire desirous desist desk desktop desolate desolation despair despatch
desperate desperation despicable despise despite despondent despot despotic dessert destabilize
destination destine destiny destitute destitution destroy destroyer destruction destructive detach
detachable detachment detail detain detect detectable detection detective detector detention deter
detergent deteriorate deterioration determinable determination determine determinism deterministic
deterred deterrent deterring detest dethrone detonate detonation detonator detour detract detriment
detrimental devalue devastate devastation develop developer development deviant deviate deviation
device devil devilled devilling devious devise devoid devolution devolve devote devotee devotion
devour devout devouter devoutest dew dexterity dexterous dextrous diabetes diabetic diabolical
diagnose diagnosis diagnostic diagonal diagram diagrammed diagramming dial dialect dialog dialogue
diameter diametrically diamond diaper diaphragm diarrhea diarrhoea diary diatribe dice dictate
dictation dictator dictatorial dictatorship diction dictionary did die diesel diet dietary differ
difference different differential differentiate difficult difficulty diffuse diffusion dig digest
digestible digestion digestive digging digit digital digitize dignified dignify dignitary dignity
digress digression dike dilapidated dilate dilation dilemma diligence diligent dill dilute dilution
dim dime dimension dimensional dimer diminish diminutive dimmed dimmer dimmest dimming dimple din
dine diner dinghy dingier dingiest dingy dinned dinner dinning dinosaur diocese dioxide dip
diphtheria diphthong diploma diplomacy diplomat diplomata diplomatic diplomatically dipped dipping
dire direct directer directest direction directive directness director directory direr direst dirge
dirt dirtied dirtier dirtiest dirty disability disable disadvantage disagree disagreeable
disagreeably disagreement disallow disambiguate disappear disappearance disappoint disappointment
disapproval disapprove disarm disarmament disarray disaster disastrous disavow disband disbelief
disbelieve disburse disbursement disc discard discern discernible discharge disciple disciplinarian
disciplinary discipline disclaim disclaimer disclose disclosure disco discolor discoloration
discomfort disconcert disconnect disconsolate discontent discontinue discontinuity discord
discordant discount discourage discouragement discourse discourteous discourtesy discover discovery
discredit discreet discreeter discreetest discrepancy discrete discretion discretionary discriminate
discrimination discriminatory discus discussion disdain disdainful disease disembark disembarkation
disenchantment disengage disentangle disfavor disfigure disgrace disgraceful disgruntle disguise
disgust dish dishearten dishonest dishonesty dishonor dishonorable dishwasher disillusion
disincentive disinfect disinfectant disingenuous disinherit disintegrate disintegration
disinterested disjoint disk dislike dislocate dislocation dislodge disloyal disloyalty dismal
dismantle dismay dismember dismiss dismissal dismissive dismount disobedience disobedient disobey
disorder disown disparage disparate disparity dispassionate dispatch dispel dispelled dispelling
dispensary dispensation dispense dispenser dispersal disperse dispersion displace displacement
display displease displeasure disposable disposal dispose disposition dispossess disprove disproven
dispute disqualified disqualify disquiet disregard disrepair disreputable disrepute disrespect
disrespectful disrupt disruption disruptive dissatisfied dissatisfy dissect dissection disseminate
dissemination dissension dissent dissenter dissertation disservice dissident dissimilar
dissimilarity dissipate dissipation dissociate dissociation dissolute dissolution dissolve
dissonance dissuade distance distant distaste distasteful distend distil distill distillation
distiller distillery distinct distincter distinctest distinction distinctive distinguish distort
distorter distortion distract distraction distraught distress distribute distribution distributor
district distrust distrustful disturb disturbance disuse ditch dither ditto ditty dive diver diverge
divergence divergent diverse diversified diversify diversion diversity divert divest divide dividend
divine diviner divinest divinity divisible division divisive divisor divorce divulge dizzied dizzier
dizziest dizziness dizzy docile dock doctor doctorate doctrine document documentary documentation
dodge dodo doe doer dog dogged doggerel dogging doghouse dogma dogmata dogmatic dogwood doily
doldrums dole doleful doll dollar dolly dolphin domain dome domestic domesticate domesticity
domicile dominance dominant dominate domination dominion domino don donate donation done donkey
donor donut doodle doom door doorman doormen doorstep doorway dope dopey dopier dopiest dopy dormant
dormitory dorsal dos dose dot dote dotted dotting double doubly doubt doubtful doubtless dough
doughnut dour dourer dourest douse dove dowdier dowdiest dowdy down downcast downfall downgrade
downhearted downhill downier downiest downpour downright downstairs downstream downtown downward
downy dowry doze dozen drab drabber drabbest draconian draft draftier draftiest draftsman draftsmen
drafty drag dragged dragging dragon dragonfly drain drainage drama dramatic dramatically dramatist
dramatization dramatize drank drape drapery drastic drastically draw drawback drawbridge drawer
drawl drawn dread dreadful dream dreamer dreamier dreamiest dreamy drearier dreariest dreary dredge
dregs drench dress dresser dressier dressiest dressmaker dressy drew dribble dried drier driest
drift driftwood drill drily drink drinkable drinker drip dripped dripping drive drivel drivelled
drivelling driven driver driveway drizzle droll droller drollest drone drool droop drop dropout
dropped dropping dross drought drouth drove drown drowse drowsier drowsiest drowsiness drowsy drudge
drudgery drug drugged drugging druggist drugstore drum drummed drummer drumming drumstick drunk
drunkard drunken drunkenness drunker drunkest dry dryer dryest dryness dual dualism dub dubbed
dubbing dubious duchess duck duckling duct dud dude due duel duelled duelling duet duff dug dugout
duke dull duller dullest dullness dully dulness duly dumb dumbbell dumber dumbest dumbfound dumfound
dummy dump dumpier dumpiest dumpling dumpster dumpy dunce dune dung dungeon dunk dunno duo dupe
duplex duplicate duplication duplicity durability durable duration duress during dusk duskier
duskiest dusky dust dustbin dustier dustiest dustmen dustpan dusty dutiful duty duvet dwarf dwarves
dwell dweller dwelt dwindle dye dyked dyking dynamic dynamical dynamite dynamo dynasty dysentery
dyslexia each eager eagerer eagerest eagerness eagle ear earache eardrum earl earlier earliest
earmark earn earner earnest earnestness earring earshot earth earthier earthiest earthlier
earthliest earthquake earthworm earthy ease easel easier easiest easily east easterly eastern
eastward easy easygoing eat eaten eater eave eavesdrop eavesdropped eavesdropping ebb ebony
eccentric eccentricity ecclesiastical echo eclectic eclipse ecological ecologist ecology economic
economical economist economize economy ecosystem ecstasy ecstatic ecumenical eczema eddied eddy edge
edger edgeways edgewise edgier edgiest edgy edible edict edifice edit edition editor editorial
editorship educate education educational educator eel eerie eerier eeriest eery effect effective
effectiveness effectual effeminate effervescent efficiency efficient effigy effort effortless
effusive egalitarian egg eggplant ego egocentric egoism egotism egotist eigenvalue eight eighteen
eighteenth eighth eightieth eighty either ejaculate ejaculation eject ejection eke elaborate
elaboration elapse elastic elasticity elation elbow elder eldest elect election elective elector
electoral electorate electric electrical electrician electricity electrified electrify electrocute
electrocution electrode electrolysis electron electronic electronically electrostatic elegance
elegant elegy element elemental elementary elephant elevate elevation elevator eleven eleventh elf
elicit eligibility eligible eliminate elimination elite elitism elitist elk ellipse ellipsis
elliptic elliptical elm elongate elope elopement eloquence eloquent else elsewhere elucidate elude
elusive elves email emanate emancipate emancipation embalm embankment embargo embark embarrass
embarrassment embassy embed embedded embedding embellish embellishment ember embezzle embezzlement
embitter emblem embodied embodiment embody emboss embrace embroider embroidery embryo embryonic
emerald emerge emergence emergency emergent emigrant emigrate emigration eminence eminent emir
emissary emission emit emitted emitting emotion emotional emotive empathy emperor emphases emphasis
emphasize emphatic emphatically emphysema empire empirical employ employe employee employer
employment emporia emporium empower empress emptied emptier emptiest emptiness empty emulate
emulation emulator emulsion enable enact enactment enamel enamelled enamelling encapsulate encase
enchant enchantment encircle enclose enclosure encode encompass encore encounter encourage
encouragement encroach encrypted encryption encumber encumbrance encyclopaedia encyclopedia end
endanger endear endearment endeavor endemic endive endless endorse endorsement endow endowment
endurance endure endways enema enemata enemy energetic energetically energy enforce enforcement
engage engagement engender engine engineer engrave engraver engross engulf enhance enhancement
enigma enigmatic enjoy enjoyable enjoyment enlarge enlargement enlighten enlightenment enlist
enlistment enliven enmity enormity enormous enough enquire enquiry enrage enrich enrichment enrol
enroll enrollment enrolment ensemble enshrine ensign enslave ensue ensure entail entangle
entanglement enter enterprise entertain entertainer entertainment enthral enthrall enthusiasm
enthusiast enthusiastic entice enticement entire entirety entitle entity entomologist entomology
entrails entrance entrant entrap entrapped entrapping entreat entreaty entrench entropy entrust
entry entwine enumerate enumeration enunciate enunciation envelop envelope enviable envied envious
environment environmental environs envisage envoy envy enzyme eon epaulet epaulette ephemeral epic
epidemic epidermis epilepsy epileptic epilog epilogue episode epitaph epithet epitome epoch epsilon
equal equality equalize equalled equalling equanimity equate equation equator equatorial equestrian
equilateral equilibrium equine equinox equip equipment equipped equipping equitable equity
equivalence equivalent equivocal era eradicate erase eraser erasure erect erection ergo ergonomic
erode erosion erotic err errand errant erratic erratically erroneous error erstwhile erudite erupt
eruption escalate escalation escalator escapade escape escapism escort esophagi esophagus esoteric
especial espionage essay essence essential establish establishment estate esteem esthetic estimate
estimation estrangement etch eternal eternity ether ethereal ethic ethical ethnic ethos etiquette
etymological etymology eulogize eulogy euphemism eureka euthanasia evacuate evacuation evade
evaluate evaluation evangelical evangelism evangelist evangelistic evaporate evaporation evasion
evasive eve even evener evenest evenness event eventful eventual eventuality ever evergreen
everlasting evermore every everybody everyday everyone everything everywhere evict eviction evidence
evident evil eviler evilest eviller evillest evocative evoke evolution evolutionary evolve ewe
exacerbate exact exacter exactest exaggerate exaggeration exalt exaltation exam examination examine
examiner example exasperate exasperation excavate excavation exceed excel excelled excellence
excellent excelling except exception exceptional excerpt excess excessive exchange excise excitable
excite excitement exclaim exclamation exclude exclusion exclusive excommunicate excrement excrete
excruciating excursion excusable excuse executable execute execution executioner executive executor
exemplary exemplified exemplify exempt exemption exercise exert exertion exhale exhaust exhaustion
exhaustive exhibit exhibition exhilarate exhilaration exhort exhortation exhume exile exist
existence existent existential exit exodus exonerate exoneration exorbitant exotic expand expandable
expanse expansion expansive expatriate expect expectancy expectant expectation expediency expedient
expedite expedition expel expelled expelling expend expendable expenditure expense expensive
experience experiment experimental expert expertise expiration expire expiry explain explanation
explanatory expletive explicable explicit explode exploit exploitation exploration explore explorer
explosion explosive exponent exponential export exporter expose exposition exposure expound express
expression expressive expressway expulsion exquisite extant extemporaneous extend extension
extensive extent exterior exterminate extermination external extinct extinction extinguish
extinguisher extol extoll extort extortion extortionate extra extract extraction extradite
extradition extraneous extraordinary extrapolate extrapolation extravagance extravagant extravert
extreme extremer extremest extremist extremity extricate extrovert exuberance exuberant exude exult
exultant exultation eye eyeball eyebrow eyelash eyelid eyesight eyesore eyewitness fable fabric
fabricate fabrication fabulous facade face faceless facet facetious facetted facetting facial facile
facilitate facility facsimile fact faction factor factorial factorization factory factual faculty
fad fade faeces faggot fagot fail failure faint fainter faintest fair fairer fairest fairness fairy
faith faithful faithfulness faithless fake falcon fall fallacious fallacy fallen fallible fallout
false falsehood falser falsest falsetto falsification falsified falsify falsity falter fame familiar
familiarity familiarize family famine famous fan fanatic fanatical fancied fancier fanciest fanciful
fancy fanfare fang fanned fanning fantasied fantastic fantastically fantasy far faraway farce fare
farewell farm farmer farmland farther farthest fascinate fascination fascism fascist fashion
fashionable fashionably fast fasten fastener faster fastest fastidious fat fatal fatalistic fatality
fate fateful father fatherhood fatherland fathom fatigue fatten fatter fattest fattier fattiest
fatty fatuous faucet fault faultier faultiest faultless faulty fauna faunae favor favorable
favorably favorite favoritism fawn faze fear fearful fearless fearsome feasibility feasible feast
feat feather featherier featheriest feathery feature feces fed federal federalism federalist
federation fee feeble feebler feeblest feedback feeder feel feeler feet feign feint feline fell
feller fellest fellow fellowship felon felony felt female feminine femininity feminism feminist fen
fence fend fender ferment fermentation fern ferocious ferocity ferret ferried ferry fertile
fertility fertilization fertilize fertilizer fervent fervor fester festival festive festivity
festoon fetch feted fetich fetid feting fetish fetter fetus feud feudal feudalism fever feverish few
fewer fewest fez fezzes fiasco fib fibbed fibber fibbing fiber fiberglass fiche fickle fickler
ficklest fiction fictional fictitious fiddle fiddler fiddly fidelity fidget fidgety field fiend
fiendish fierce fierceness fiercer fiercest fierier fieriest fiery fiesta fifteen fifteenth fifth
fiftieth fifty fig fight fighter figment figurative figure figurehead filament filch file filet fill
filler fillet filly film filmier filmiest filmy filter filth filthier filthiest filthy fin final
finale finalist finality finalize finance financial financier finch find fine finer finesse finest
finger fingernail fingerprint fingertip finickier finickiest finicky finish finite fir fire firearm
firecracker firefighter firefly fireman firemen fireplace fireproof fireside firewood firework firm
firmer firmest firmness firmware first firsthand fiscal fish fisher fisherman fishermen fishery
fishier fishiest fishy fission fissure fist fit fitful fitness fitted fitter fittest fitting five
fiver fix fixable fixation fixture fizz fizzle fizzy flabbier flabbiest flabby flag flagged flagging
flagpole flagrant flagship flagstone flail flair flak flake flakier flakiest flaky flamboyance
flamboyant flame flamingo flammable flank flannel flannelled flannelling flap flapjack flapped
flapping flare flash flashback flasher flashest flashier flashiest flashlight flashy flask flat
flatness flatted flatten flatter flatterer flattery flattest flatting flaunt flavor flaw flawless
flea fleck fled fledged fledgeling fledgling flee fleece fleecier fleeciest fleecy fleet fleeter
fleetest flesh fleshier fleshiest fleshy flew flex flexibility flexible flexibly flick flicker flied
flier fliest flight flightier flightiest flightless flighty flimsier flimsiest flimsiness flimsy
flinch fling flint flip flippant flipped flipper flippest flipping flirt flirtation flirtatious flit
flitted flitting float flock flog flogged flogging flood flooder floodlight floor flop flopped
floppier floppiest flopping floppy flora florae floral florid florist floss flotilla flounce
flounder flour flourish flout flow flower flowerier floweriest flowery flown flu fluctuate
fluctuation flue fluency fluent fluff fluffier fluffiest fluffy fluid fluke flung flunk flunkey
flunkie flunky fluorescent flurried flurry flush flusher flushest fluster flute flutist flutter flux
fly flyer flyover foal foam foamier foamiest foamy focal foci focus focussed focusses focussing
fodder foe foetal foetus fog fogey fogged foggier foggiest fogging foggy foghorn fogy foible foil
foist fold folder foliage folk folklore folksier folksiest folksy follow follower folly foment fond
fonder fondest fondle fondness font food foodstuff fool foolhardier foolhardiest foolhardy foolish
foolishness foolproof foot footage football foothill foothold footlights footnote footpath footprint
footstep footstool footwear footwork for fora forage foray forbad forbade forbear forbearance forbid
forbidden forbidding forbore forborne force forceful forceps forcible forcibly ford fore forearm
forebode forecast forefather forefinger forefront forego foregone foreground forehead foreign
foreigner foreleg foreman foremen foremost forensic foreplay forerunner foresaw foresee foreseeable
foreseen foreshadow foresight foreskin forest forestall forestry foreswear foreswore foresworn
foretaste foretell forethought foretold forever forewarn forewent foreword forfeit forgave forge
forger forgery forget forgetful forgetfulness forgetting forgive forgiven forgiveness forgo forgone
forgot forgotten fork forlorn form formal formality formalize format formation formative formatted
formatting former formidable formless formula formulae formulate formulation fornication forsake
forsaken forsook forswear forswore forsworn fort forte forth forthcoming forthright forthwith
fortieth fortification fortified fortify fortitude fortnight fortress fortuitous fortunate fortune
forty forum forward forwarder forwardest forwent fossil fossilize foster fought foul fouler foulest
found foundation founder foundling foundry fount fountain four fourteen fourteenth fourth fowl fox
foxier foxiest foxy foyer fracas fractal fraction fractional fracture fragile fragility fragment
fragmentary fragmentation fragrance fragrant frail frailer frailest frailty frame framework franc
franchise frank franker frankest frankfurter frantic frantically fraternal fraternity fraternize
fraud fraudulent fraught fray freak freckle free freedom freehand freelance freer freest freeway
freeze freezer freight freighter french frenzied frenzy frequency frequent frequenter frequentest
fresh freshen fresher freshest freshman freshmen freshness freshwater fret fretful fretted fretting
friar friction fried friend friendlier friendliest friendliness friendship frieze frigate fright
frighten frightful frigid frigidity frill frillier frilliest frilly fringe frisk friskier friskiest
frisky fritter frivolity frivolous frizzier frizziest frizzy fro frock frog frolic frolicked
frolicking from frond front frontage frontal frontier frost frostbit frostbite frostbitten frostier
frostiest frosty froth frothier frothiest frothy frown froze frozen frugal frugality fruit fruitful
fruitier fruitiest fruition fruitless fruity frustrate frustration fry fudge fuel fuelled fuelling
fugitive fulcra fulcrum fulfil fulfill fulfillment fulfilment full fuller fullest fullness fully
fulness fumble fume fumigate fumigation fun function functional functionality fund fundamental
fundamentalism fundamentalist funeral fungi fungicide fungus funnel funnelled funnelling funner
funnest funnier funniest funnily funny fur furious furl furlong furlough furnace furnish furniture
furor furred furrier furriest furring furrow furry further furthermore furthest furtive furtiveness
fury fuse fuselage fusion fuss fussier fussiest fussy futile futility future futuristic fuze fuzz
fuzzier fuzziest fuzzy gab gabbed gabbing gable gadget gag gage gagged gagging gaiety gaily gain
gainful gait gal gala galactic galaxy gale gall gallant gallantry gallery galley gallivant gallon
gallop gallows galore galvanize gambit gamble gambler game gamer gamest gamma gamut gander gang
gangling gangplank gangrene gangster gangway gap gape garage garb garbage garble garden gardener
gardenia gargle gargoyle garish garland garlic garment garnet garnish garret garrison garrulous
garter gas gaseous gash gasket gasolene gasoline gasp gassed gasses gassing gastric gate gateway
gather gaudier gaudiest gaudy gauge gaunt gaunter gauntest gauntlet gauze gave gavel gawk gawkier
gawkiest gawky gay gayer gayest gayety gaze gazelle gazette gear gee geese gel gelatin gelatine geld
gelt gem gender gene genealogical genealogy genera general generality generalization generalize
generate generation generator generic generosity generous genesis genetic genetically geneticist
genial genie genii genital genius genocide genre gent gentile gentility gentle gentleman gentlemen
gentleness gentler gentlest gentry genuine genuineness genus geographic geographical geography
geological geologist geology geometric geometry geranium gerbil germ germicide germinate germination
gestation gesticulate gesture get getaway getting geyser ghastlier ghastliest ghastly ghetto ghost
ghostlier ghostliest ghoul giant gibber gibberish gibe giddier giddiest giddiness giddy gift gig
gigantic gigged gigging giggle gild gill gilt gimme gimmick gin ginger gingerbread gingham ginned
ginning giraffe girder girdle girl girlfriend girlhood girlish girth gist give given gizzard glacial
glacier glad gladden gladder gladdest glade gladiator glamor glamorize glamorous glamour glamourize
glamourous glance gland glandular glare glass glassier glassiest glassware glassy glaze gleam glean
glee glen glib glibber glibbest glide glider glimmer glimpse glint glisten glitter gloat global
globe globular globule gloom gloomier gloomiest gloomy gloried glorification glorified glorify
glorious glory gloss glossary glossier glossiest glossy glove glow glower glucose glue glum glummer
glummest glut glutted glutting glutton gluttony glycerin glycerine gnarl gnash gnat gnaw gnawn gnome
gnu goad goal goalie goalkeeper goat goatee gob gobbed gobbing gobble goblet goblin god godchild
godchildren goddess godfather godless godlier godliest godlike godmother godparent godsend goes
goggle going gold golden goldener goldenest goldfish goldsmith golf golfer gondola gone goner gong
gonna goo good goodby goodbye goodie goodness goodnight goodwill goody gooey goof goofier goofiest
goofy gooier gooiest goon goose gopher gore gorge gorgeous gorier goriest gorilla gory gosh gosling
gospel gossamer gossip gossipped gossipping got gotten gouge goulash gourd gourmet gout govern
governess government governmental governor gown grab grabbed grabber grabbing grace graceful
graceless gracious graciousness gradation grade grader gradient gradual graduate graduation graffiti
graffito graft grain gram grammar grammatical gramophone grand grandchild grandchildren
granddaughter grander grandest grandeur grandfather grandiose grandmother grandparent grandson
grandstand granite grannie granny granola grant granular granule grape grapefruit grapevine graph
graphic graphical graphite grapple grasp grass grasshopper grassier grassiest grassy grate grateful
grater gratification gratified gratify gratitude gratuitous gratuity grave gravel gravelled
gravelling graven graver gravest gravestone graveyard gravitate gravitation gravitational gravity
gravy gray grayer grayest graze grease greasier greasiest greasy great greater greatest greatness
greed greedier greediest greedily greediness greedy green greenback greener greenery greenest
greenhorn greenhouse greet gregarious gremlin grenade grew grey greyer greyest greyhound grid
griddle gridiron grief grievance grieve grievous grill grille grim grimace grime grimier grimiest
grimmer grimmest grimy grin grind grinder grindstone grinned grinning grip gripe gripped gripping
grislier grisliest grisly gristle grit gritted grittier grittiest gritting gritty grizzled grizzlier
grizzliest grizzly groan grocer grocery groggier groggiest groggy groin groom groove groovier
grooviest groovy grope gross grosser grossest grotesque grotto grouch grouchier grouchiest grouchy
ground groundless groundwork group grouper grouse grove grovel grovelled grovelling grow grower
growl grown growth grub grubbed grubbier grubbiest grubbing grubby grudge gruel gruelling gruesome
gruesomer gruesomest gruff gruffer gruffest grumble grumpier grumpiest grumpy grunt guarantee
guarantor guard guardian gubernatorial guerilla guerrilla guess guessable guesswork guest guffaw
guidance guide guidebook guideline guild guile guillotine guilt guiltier guiltiest guiltily
guiltless guilty guinea guise guitar guitarist gulch gulf gull gullet gulley gullible gully gulp gum
gumdrop gummed gummier gummiest gumming gummy gumption gun gunfire gunman gunmen gunned gunner
gunning gunpowder gunshot guppy gurgle guru gush gusher gust gustier gustiest gusty gut gutted
gutter gutting guy guzzle gybe gym gymnasia gymnasium gymnast gymnastics gynecologist gynecology
gyrate gyration gyroscope habit habitable habitat habitation habitual hack hacker hackney hacksaw
had haddock haemoglobin haemophilia haemorrhage hag haggard haggle hah hail hailstone hair haircut
hairdo hairdresser hairier hairiest hairline hairy hale haler halest half halfway halibut hall
hallelujah hallmark hallucination hallway halo halon halt halter halve ham hamburger hamlet hammed
hammer hamming hammock hamper hamster hamstring hamstrung hand handbag handbook handcuff handedness
handful handicap handicapped handicapping handicraft handier handiest handiwork handkerchief
handkerchieves handle handlebar handler handmade handout handrail handsful handshake handsome
handsomer handsomest handwriting handy hang hangar hanger hangout hangover hanker haphazard hapless
happen happier happiest happily happiness happy harangue harass harassment harbor hard hardback
harden harder hardest hardier hardiest hardline hardliner hardship hardware hardwood hardy hare
harebrained harem hark harlot harm harmful harmless harmonic harmonica harmonious harmonize harmony
harness harp harpist harpoon harpsichord harried harrow harry harsh harsher harshest harshness hart
harvest harvester has hash hassle haste hasten hastier hastiest hastily hasty hat hatch hatchet hate
hateful hatred hatted hatting haughtier haughtiest haughtily haughtiness haughty haul haunt have
haven havoc hawk hay haystack haywire hazard hazardous haze hazel hazier haziest hazy head headache
header headfirst headier headiest headland headlight headline headlong headmaster headphone
headquarter headrest headroom headstone headstrong headway heady heal healer health healthcare
healthful healthier healthiest healthy heap hear heard hearsay hearse heart heartache heartbeat
heartbreak heartbroken heartburn hearten heartfelt hearth heartier heartiest heartily heartless
hearty heat heater heath heathen heather heave heaven heavenlier heavenliest heavier heaviest
heavily heaviness heavy heavyweight heckle heckler hectic hedge hedgehog heed heedless heel heftier
heftiest hefty heifer height heighten heinous heir heirloom held helicopter heliport helium hell
hellish hello helm helmet help helper helpful helpless hem hemisphere hemlock hemmed hemming
hemoglobin hemophilia hemorrhage hemp hen hence henceforth henchman henchmen hepatitis her herald
herb herbivorous herd here hereabouts hereafter hereby hereditary heredity herein heresy heretic
heretical herewith heritage hermaphrodite hermit hernia herniae hero heroic heroin heroine heroism
heron herpes herring herself hes hesitancy hesitant hesitate hesitation heterogeneous heterosexual
heuristic hew hewn hexadecimal hexagon hexagonal hey heyday hiatus hibernate hibernation hiccup hick
hickory hid hidden hide hideaway hideous hierarchical hierarchy hieroglyphic high highbrow higher
highest highjack highland highlight highway hijack hike hiker hilarious hilarity hill hillbilly
hillier hilliest hillside hilly hilt him himself hind hinder hindrance hindsight hinge hint
hinterland hip hipped hipper hippest hippie hipping hippopotami hippopotamus hippy hire his
histogram historian historic historical history hit hitch hitchhike hitchhiker hither hitherto
hitting hive hoard hoarder hoarse hoarseness hoarser hoarsest hoax hobbit hobble hobby hobbyhorse
hobgoblin hobnob hobnobbed hobnobbing hobo hock hockey hodgepodge hoe hog hogged hogging hoist hold
holder holdup hole holiday holier holiest holiness holler hollow hollower hollowest holly holocaust
holster holy homage home homeland homeless homelier homeliest homemade homesick homesickness
homespun homestead homeward homework homey homicidal homicide homie homier homiest homogeneous
homogenize homonym homophobic homosexual homosexuality homy hone honest honester honestest honesty
honey honeycomb honeymoon honeysuckle honied honk honor honorable honorary hood hoodlum hoodwink
hoof hook hoop hoorah hooray hoot hooter hooves hop hope hopeful hopeless hopped hopper hopping
hopscotch horde horizon horizontal hormone horn hornet hornier horniest horny horoscope horrendous
horrible horribly horrid horrific horrified horrify horror horse horseback horseman horseplay
horsepower horseradish horseshoe horticultural horticulture hose hosiery hospitable hospital
hospitality hospitalize host hostage hostel hostelled hostelling hostess hostile hostility hot
hotbed hotel hothead hotter hottest hound hour hourglass house houseboat household housekeeper
housewarming housewife housewives housework hove hovel hover how however howl hub hubbub huddle hue
huff huffier huffiest huffy hug huge huger hugest hugged hugging huh hulk hull hullabaloo hum human
humane humaner humanest humanism humanist humanitarian humanity humanize humble humbler humblest
humbly humbug humdrum humid humidified humidify humidity humiliate humiliation humility hummed
humming hummingbird humor humorist humorous hump hunch hunchback hundred hundredth hung hunger
hungrier hungriest hungrily hungry hunk hunt hunter hurdle hurl hurrah hurray hurricane hurried
hurry hurt hurtful hurtle husband hush husk huskier huskiest huskily huskiness husky hustle hustler
hut hutch hyacinth hyaena hybrid hydrant hydraulic hydroelectric hydrogen hydroplane hyena hygiene
hygienic hymn hymnal hyperbole hypertension hyphen hyphenate hyphenation hypnosis hypnotic hypnotism
hypnotist hypnotize hypochondria hypochondriac hypocrisy hypocrite hypocritical hypotenuse
hypotheses hypothesis hypothesize hypothetical hysteria hysteric hysterical ice iceberg icebreaker
icicle icier iciest icon icy idea ideal idealist idealistic idealize identical identifiable
identification identified identifier identify identity ideological ideology idiocy idiom idiomatic
idiosyncrasy idiosyncratic idiot idiotic idle idler idlest idly idol idolize idyllic ifs igloo
ignite ignition ignorance ignorant ignore iguana iii ikon ilk ill illegal illegible illegibly
illegitimate illicit illiteracy illiterate illness illogical illuminate illumination illusion
illusory illustrate illustration illustrative illustrator illustrious image imagery imaginable
imaginary imagination imaginative imagine imbalance imbecile imbed imbedded imbedding imitate
imitation imitative imitator immaculate immaterial immature immaturity immeasurable immeasurably
immediate immense immensity immerse immersion immigrant immigrate immigration imminent immobile
immobilize immoral immorality immortal immortality immovable immune immunity immunization immunize
imp impact impair impairment impale impart impartial impartiality impassable impasse impassioned
impassive impatience impatient impeach impeccable impedance impede impediment impel impelled
impelling impend impenetrable imperative imperceptible imperceptibly imperfect imperfection imperial
imperialism imperialist imperil imperilled imperilling impersonal impersonate impersonation
impertinence impertinent impervious impetuous impetus impinge impish implacable implant implausible
implement implementable implementation implementer implicate implication implicit implied implore
impolite import importance important importation impose imposition impossibility impossible
impossibly imposter impostor impotence impotent impound impoverish impractical imprecise impregnable
impregnate impress impression impressionable impressive imprint imprison imprisonment improbability
improbable improbably impromptu improper impropriety improve improvement improvisation improvise
impudence impudent impulse impulsive impunity impure impurer impurest impurity inability
inaccessible inaccuracy inaccurate inaction inactive inactivity inadequacy inadequate inadmissible
inadvertent inadvisable inalienable inane inaner inanest inanimate inapplicable inappropriate
inarticulate inasmuch inaudible inaugural inaugurate inauguration inauspicious inborn inbred inbreed
inbuilt incalculable incandescence incandescent incantation incapable incapacitate incapacity
incarcerate incarceration incarnate incarnation incendiary incense incentive inception incessant
incest incestuous inch incidence incident incidental incinerate incinerator incision incisive
incisor incite incitement inclination incline inclose inclosure include inclusion inclusive
incognito incoherence incoherent income incomparable incompatible incompatibly incompetence
incompetent incomplete inconceivable inconclusive incongruity incongruous inconsiderable
inconsiderate inconsistency inconsistent inconsolable inconspicuous inconvenience inconvenient
incorporate incorporation incorrect incorrigible increase incredible incredibly incredulity
incredulous increment incremental incriminate incubate incubation incubator incumbent incur
incurable incurred incurring indebted indecency indecent indecision indecisive indeed indefensible
indefinable indefinite indelible indelibly indelicate indent indentation independence independent
indescribable indestructible indeterminate index indicate indication indicative indicator indices
indict indictment indifference indifferent indigenous indigestible indigestion indignant indignation
indignity indigo indirect indirection indiscreet indiscretion indiscriminate indispensable
indisposed indisputable indistinct individual individualism individualist individuality indivisible
indoctrinate indoctrination indolence indolent indomitable indoor indorse indorsement induce
inducement induct induction indulge indulgence indulgent industrial industrialist industrialize
industrious industry inedible ineffective ineffectual inefficiency inefficient inelegant ineligible
inept ineptitude inequality inert inertia inertial inescapable inevitable inevitably inexact
inexcusable inexhaustible inexorable inexorably inexpensive inexperience inexplicable inexplicably
inextricably infallible infamous infamy infancy infant infantile infantry infatuation infeasible
infect infection infectious infelicity infer inference inferior inferiority inferno inferred
inferring infertile infest infestation infidel infidelity infield infiltrate infiltration infinite
infinitesimal infinitive infinity infirm infirmary infirmity infix inflame inflammable inflammation
inflammatory inflatable inflate inflation inflationary inflection inflexible inflict influence
influential influenza influx info inform informal informality informant information informational
informative informer infraction infrared infrastructure infrequent infringe infringement infuriate
infuse infusion ingenious ingenuity ingest ingrain ingratiate ingratitude ingredient inhabit
inhabitant inhale inhaler inherent inherit inheritance inhibit inhibition inhospitable inhuman
inhumane inhumanity initial initialization initialize initialled initialling initiate initiation
initiative initiator inject injection injunction injure injurious injury injustice ink inkier
inkiest inkling inky inlaid inland inlay inlet inmate inn innards innate inner innermost innkeeper
innocence innocent innocuous innovation innovative innuendo innumerable inoculate inoculation
inoffensive inoperative inopportune inordinate input inputted inputting inquest inquire inquiry
inquisition inquisitive ins insane insaner insanest insanity insatiable inscribe inscription
inscrutable insect insecticide insecure insecurity insensitive insensitivity inseparable insert
insertion inside insider insidious insight insigne insignia insignificance insignificant insincere
insincerity insinuate insinuation insipid insist insistence insistent insofar insolence insolent
insoluble insolvency insolvent insomnia inspect inspection inspector inspiration inspire instability
instal install installation installment instalment instance instant instantaneous instead instep
instigate instigation instil instill instinct instinctive institute institution institutional
instruct instruction instructive instructor instrument instrumental insubordinate insubstantial
insufferable insufficient insular insulate insulation insulator insulin insult insurance insure
insurer insurgent insurmountable insurrection intact intake intangible integer integral integrate
integration integrity intellect intellectual intelligence intelligent intelligible intelligibly
intend intense intenser intensest intensified intensify intensity intensive intent intention
intentional inter interact interaction interactive intercede intercept interception interchange
intercom interconnect intercourse interdependent interest interface interfere interference interim
interior interject interjection interlock interloper interlude intermarriage intermarried intermarry
intermediary intermediate interment interminable interminably intermingle intermission intermittent
intern internal international interne internet interplanetary interplay interpolation interpose
interpret interpretation interpreter interracial interred interring interrogate interrogation
interrogator interrupt interruption intersect intersection intersperse interstate interstellar
intertwine interval intervene intervention interview interviewer interweave interwove interwoven
intestinal intestine intimacy intimate intimation intimidate intimidation into intolerable
intolerably intolerance intolerant intonation intoxicate intoxication intractable intramural
intransitive intravenous intrench intrepid intricacy intricate intrigue intrinsic intrinsically
introduce introduction introductory introspective introvert intrude intruder intrusion intrusive
intrust intuition intuitive inundate inundation invade invader invalid invalidate invaluable
invariable invariably invariant invasion invective invent invention inventive inventor inventoried
inventory inverse inversion invert invertebrate invest investigate investigation investigator
investment investor inveterate invigorate invincible invisibility invisible invisibly invitation
invite invocation invoice invoke involuntarily involuntary involve involvement invulnerable inward
iodine ion iota irascible irate ire iridescence iridescent iris irk iron ironic ironically irony
irradiate irrational irreconcilable irrefutable irregular irregularity irrelevance irrelevant
irreparable irreplaceable irrepressible irreproachable irresistible irrespective irresponsible
irretrievable irretrievably irreverence irreverent irreversible irrevocable irrevocably irrigate
irrigation irritability irritable irritably irritant irritate irritation island islander isle
isolate isolation issue isthmi isthmus italic italicize itch itchier itchiest itchy item itemize
iterate iteration iterative itinerant itinerary its itself ivory ivy jab jabbed jabber jabbing jack
jackal jackass jackdaw jacket jackknife jackknives jackpot jade jagged jaggeder jaggedest jaguar
jail jailer jailor jalopy jam jamb jamboree jammed jamming jangle janitor jar jargon jarred jarring
jaundice jaunt jauntier jauntiest jauntily jaunty javelin jaw jawbone jay jaywalk jaywalker jazz
jealous jealousy jeans jeer jell jellied jelly jellyfish jeopardize jeopardy jerk jerkier jerkiest
jerky jersey jest jester jet jetted jetting jettison jetty jewel jeweler jewelled jeweller jewelling
jewelry jibe jiffy jig jigged jigging jiggle jigsaw jigsawn jilt jingle jinx jitterier jitteriest
jitters jittery job jobbed jobbing jockey jocular jog jogged jogger jogging join joint joke joker
jollied jollier jolliest jolly jolt jostle jot jotted jotting journal journalism journalist journey
jovial joy joyful joyfuller joyfullest joyous joystick jubilant jubilation jubilee judge judgement
judgment judicial judiciary judicious judo jug jugged juggernaut jugging juggle juggler jugular
juice juicier juiciest juicy jumble jumbo jump jumper jumpier jumpiest jumpy junction juncture
jungle junior juniper junk junket junkie junky junta jurisdiction juror jury just juster justest
justice justifiable justifiably justification justified justify jut jute jutted jutting juvenile
juxtapose juxtaposition kaleidoscope kangaroo karat karate kayak keel keen keener keenest keep
keeper keepsake keg kelp ken kennel kennelled kennelling kept kerchief kerchieves kernel kerosene
kerosine ketchup kettle key keyboard keyhole keynote keystone keystroke keyword khaki kick kickback
kickoff kid kidded kidding kidnap kidnaper kidnapped kidnapper kidnapping kidney kill killer kiln
kilo kilobyte kilogram kilometer kilowatt kilt kimono kin kind kinda kinder kindergarten kindest
kindle kindlier kindliest kindness kindred kinfolk king kingdom kingfisher kink kinkier kinkiest
kinky kinship kiosk kipper kiss kit kitchen kitchenette kite kitten kitty kiwi knack knacker
knapsack knead knee kneecap kneecapped kneecapping kneel knelt knew knickers knife knight knighthood
knit knitted knitting knives knob knock knocker knockout knoll knot knotted knottier knottiest
knotting knotty know knowledge knowledgeable known knuckle koala kosher kowtow kudos lab label
labelled labelling labor laboratory laborer laborious labyrinth lace lacerate laceration lacier
laciest lack lackluster lacquer lacrosse lacy lad ladder lade laden ladle lady ladybug ladylike lag
lager laggard lagged lagging lagoon laid lain lair lake lamb lambda lame lament lamentable
lamentation lamer lamest lamp lampoon lance land lander landlady landlocked landlord landmark
landowner landscape landslid landslidden landslide lane language languid languish languor languorous
lankier lankiest lanky lantern lap lapel lapped lapping lapse larceny lard large larger largest lark
larva larvae larynges laryngitis larynx lascivious laser lash lass last latch late latent later
lateral lateralled lateralling latest latex lath lathe lather latitude latrine latter lattice laud
laudable laugh laughable laughingstock laughter launch launcher launder laundry laureate laurel lava
lavatory lavender lavish lavisher lavishest law lawful lawless lawmaker lawn lawsuit lawyer lax
laxative laxer laxest laxity lay layer layman laymen layout lazied lazier laziest laziness lazy
leach lead leaden leader leadership leaf leafier leafiest leaflet leafletted leafletting leafy
league leak leakage leaky lean leaner leanest leap leapfrog leapfrogged leapfrogging leapt learn
learnt lease leash least leather leathery leave lectern lecture lecturer led ledge ledger lee leech
leek leer leerier leeriest leery leeway left lefter leftest leftmost leg legacy legal legalistic
legality legalize legend legendary legged leggin legging legibility legible legibly legion legislate
legislation legislative legislator legislature legitimacy legitimate legume leisure lemme lemon
lemonade lend length lengthen lengthier lengthiest lengthwise lengthy leniency lenient lens lent
lentil leopard leotard leper leprosy lept lesbian lesion less lessen lesser lesson lest let letdown
lethal lethargic lethargy letter letterhead letting lettuce letup leukemia levee level levelled
levelling lever leverage levied levity levy lewd lewder lewdest lexica lexical lexicon liability
liable liaison liar libel libelled libelling libellous libelous liberal liberalism liberalization
liberalize liberate liberation libertarian liberty librarian library libretto lice licence license
lichen lick licorice lid lie lieu lieutenant life lifeboat lifeforms lifeguard lifeless lifelike
lifeline lifelong lifespan lifestyle lifetime lift ligament ligature light lighten lighter lightest
lighthouse lightness lightning lightweight lii likable like likeable likelier likeliest likelihood
liken likeness liker likest likewise lilac lilt lily limb limber limbo lime limelight limerick
limestone limit limitation limitless limousine limp limper limpest linchpin line lineage linear
linefeed linen liner linger lingerie lingo linguist linguistic liniment link linkage linker linoleum
lint lion lioness lip lipstick liquefied liquefy liqueur liquid liquidate liquidation liquified
liquify liquor lisp list listen listener listless lit litany liter literacy literal literary
literate literature lithe lither lithest lithium litigation litter litterbug little littler littlest
liturgical liturgy livable live liveable livelier liveliest livelihood liveliness liven liver livest
livestock livid lix lizard llama load loadable loader loaf loafer loam loan loath loathe loathsome
loaves lob lobbed lobbied lobbing lobby lobbyist lobe lobotomy lobster local locale locality
localize locate location lock locker locket locksmith locomotion locomotive locust lodge lodger loft
loftier loftiest loftiness lofty log logarithm logarithmic logged logger logging logic logical
logician logo loin loincloth loiter loiterer loll lollipop lollypop lone lonelier loneliest
loneliness lonesome long longer longest longevity longhand longish longitude longitudinal
longshoreman longshoremen look lookout loom loon looney looneyier looneyies loonie loonier looniest
loony loop loophole loose loosen looser loosest loot lop lope lopped lopping lopsided lord lore
lorry lose loser loss lost lot loth lotion lottery lotus loud louder loudest loudness loudspeaker
lounge louse lousier lousiest lousy lovable love loveable lovelier loveliest loveliness lover low
lowdown lower lowest lowlier lowliest loyal loyaler loyalest loyaller loyallest loyalty lozenge
lubricant lubricate lubrication lucid luck luckier luckiest luckily lucky lucrative ludicrous lug
luggage lugged lugging lukewarm lull lullaby lumber lumberjack luminary luminous lump lumpier
lumpiest lumpy lunacy lunar lunatic lunch luncheon lunchtime lung lunge lupin lupine lurch lure
lurid lurk luscious lush lusher lushest lust luster lustier lustiest lustre lustrous lusty lute
luxuriant luxuriate luxurious luxury lvi lvii lxi lxii lxiv lxix lxvi lxvii lye lymph lymphatic
lynch lynchpin lyre lyric lyrical macabre macaroni mace machete machine machinery machinist macho
macintosh mackerel macroscopic mad madam madame madcap madden madder maddest made madhouse madman
madmen madness maelstrom magazine magenta maggot magic magical magician magistrate magnanimity
magnanimous magnate magnesium magnet magnetic magnetism magnetize magnificence magnificent magnified
magnify magnitude magnolia magnum magpie mahogany maid maiden mail mailbox mailman mailmen maim main
mainframe mainland mainline mainstay mainstream maintain maintainable maintainer maintenance maize
majestic majestically majesty major majority make maker makeshift makeup maladjusted malady malaria
male malevolence malevolent malformed malfunction malice malicious malign malignancy malignant mall
mallard malleable mallet malnutrition malpractice malt maltreat mama mamma mammal mammalian mammoth
man manacle manage manageable management manager managerial mandate mandatory mandible mandolin mane
maneuver mange manger mangier mangiest mangle mango mangrove mangy manhandle manhole manhood mania
maniac maniacal manic manicure manicurist manifest manifestation manifesto manifold manipulate
manipulation mankind manlier manliest manliness manned mannequin manner mannerism manning mannish
manor manpower mansion manslaughter mantel mantelpiece mantle mantlepiece manual manufacture
manufacturer manure manuscript many map maple mapped mapper mapping mar marathon marble march
marcher mare margarine margin marginal maria marigold marihuana marijuana marina marinate marine
mariner marionette marital maritime mark marker market marketable marketplace marksman marksmen
marmalade maroon marquee marred marriage married marring marrow marry marsh marshal marshalled
marshalling marshier marshiest marshmallow marshy marsupial mart martial martin martyr martyrdom
marvel marvelled marvelling marvelous mas mascara mascot masculine mash mask masochist mason masonry
masquerade massacre massage massive mast master masterful mastermind masterpiece mastery masticate
masturbation mat matador match matchbook matchless matchmaker mate material materialism materialist
materialistic materialize maternal maternity math mathematical mathematician mathematics matriarch
matriarchal matrices matriculate matriculation matrimonial matrimony matrix matron matt matte matter
mattress mature maturer maturest maturity maudlin maul mausolea mausoleum mauve maverick maxim
maxima maximal maximize maximum may maybe mayhem mayonnaise mayor maze meadow meager meal mealier
mealiest mealy mean meander meaner meanest meaningful meaningless meant meantime meanwhile measles
measlier measliest measly measurable measure measurement meat mechanic mechanical mechanism
mechanize medal medallion meddle meddler meddlesome media mediaeval median mediate mediation
mediator medical medicate medication medicinal medicine medieval mediocre mediocrity meditate
meditation medium medley meek meeker meekest meekness meet megabyte megalomaniac megaphone megaton
melancholy mellow mellower mellowest melodic melodious melodrama melodramatic melody melon melt
member membership membrane memento memo memoir memorable memorably memoranda memorandum memorial
memorize memory men menace menagerie mend menial menopause menstrual menstruate menstruation mental
mentality menthol mention mentor menu meow mercantile mercenary merchandise merchandize merchant
merciful merciless mercury mercy mere merest merge merger meridian meringue merit mermaid merrier
merriest merrily merriment merry mes mesdames mesh message messenger messier messiest messy met
metabolic metabolism metal metallic metallurgy metamorphose metamorphosis metaphor metaphorical
metaphysical metaphysics mete meteor meteoric meteorite meteorologist meteorology meter method
methodical methodology meticulous metric metro metropolis metropolitan mettle mew mezzanine miaow
mice microbe microbiology microcode microcomputer microfiche microfilm micrometer microorganism
microphone microprocessor microscope microscopic microsecond microwave midday middle middleman
middlemen midget midnight midriff midst midstream midsummer midway midwife midwived midwives
midwiving mien might mightier mightiest mighty migraine migrant migrate migration migratory mike
mild milder mildest mildew mile mileage milestone militancy militant militarily military militate
militia milk milker milkier milkiest milkman milkmen milky mill miller milligram millimeter milliner
millinery million millionaire millionth millisecond mime mimic mimicked mimicking mimicry mince
mincemeat mind mindbogglingly mindedness mindful mindless mine minefield miner mineral mingle
miniature minibus minibusses minicomputer minimal minimalism minimalist minimize minimum minion
miniscule minister ministerial ministry mink minnow minor minority minstrel mint minuet minus
minuscule minute minuter minutest miracle miraculous mirage mire mirror mirth misadventure
misappropriate misbehave misbehavior miscarriage miscarried miscarry miscellaneous miscellany
mischief mischievous misconception misconduct misconstrue misdeed misdemeanor misdirect misdirection
miser miserable miserably misery misfit misfitted misfitting misfortune misgiving misguide mishap
misinform misinformation misinterpret misjudge mislaid mislay mislead misled mismanagement mismatch
misnomer misplace misprint misquote misread misrepresent miss misshapen missile mission missionary
missive misspell misspelt mist mistake mistaken mistier mistiest mistletoe mistook mistress mistrust
misty mistype misunderstand misunderstood misuse mite mitigate mitt mitten mix mixer mixture
mnemonic moan moat mob mobbed mobbing mobile mobility mobilization mobilize moccasin mock mockery
mockingbird mod modal mode model modelled modelling moderate moderation moderator modern modernity
modernization modernize modest modesty modicum modification modified modifier modify modular
modulate modulation module mohair moist moisten moister moistest moisture molar molasses mold
moldier moldiest moldy mole molecular molecule molest mollified mollify mollusc mollusk molt molten
mom moment momentarily momentary momentous momentum momma monarch monarchy monastery monastic
monetarism monetary money mongoose mongrel monies monitor monk monkey monochrome monogamous monogamy
monogram monogrammed monogramming monolithic monolog monologue monopolize monopoly monorail
monosyllable monotonically monotonous monotony monsoon monster monstrosity monstrous month monument
monumental moo mood moodier moodiest moodily moody moon moonbeam moonlight moor moose moot mop mope
mopped mopping moral morale moralist morality morass moratoria moratorium morbid more moreover
morgue morn moron moronic morose morphine morphology morsel mortal mortality mortar mortgage
mortification mortified mortify mortuary mosaic mosque mosquito moss mossier mossiest mossy most
motel moth mothball mother motherhood motif motion motionless motivate motivation motive motley
motlier motliest motor motorbike motorcade motorcycle motorist motorize motorway motto mound mount
mountain mountaineer mountainous mourn mourner mournful mouse mousey mousier mousiest mousse
moustache mousy mouth mouthful mouthpiece movable move moveable movement mover movie mow mower mown
much muck mucous mucus mud muddied muddier muddiest muddle muddy muff muffin muffle muffler mug
mugged mugger muggier muggiest mugginess mugging muggy mulch mule mull multi multinational multiple
multiplication multiplicative multiplicity multiplied multiply multitasking multitude mum mumble
mummified mummify mummy mumps munch mundane municipal municipality mural murder murderer murderous
murkier murkiest murky murmur muscle muscular muse museum mush mushier mushiest mushroom mushy music
musical musician musk musket muss mussel must mustache mustang mustard muster mustier mustiest musty
mutant mutate mutation mute muter mutest mutilate mutilation mutinied mutinous mutiny mutt mutter
mutton mutual muzzle myopic myriad myself mysterious mystery mystic mystical mysticism mystified
mystify myth mythical mythological mythology nab nabbed nabbing nag nagged nagging nail naive naiver
naivest naivety naked nakedness name nameless namesake nap napalm nape napkin napped napping nappy
narcotic narrate narration narrative narrator narrow narrower narrowest narrowness nasal nastier
nastiest nastily nastiness nasty nation national nationalism nationalist nationalistic nationality
nationalize nationwide native nativity nattier nattiest natty natural naturalist naturalization
naturalize naturalness nature naught naughtier naughtiest naughtily naughtiness naughty nausea
nauseate nauseous nautical naval navel navigable navigate navigation navigator navy nay near nearby
nearer nearest nearsighted neat neater neatest neatness nebula nebulae nebulous necessarily
necessary necessitate necessity neck neckerchief neckerchieves necklace neckline necktie necrophilia
nectar nectarine need needier neediest needle needlework needy negate negation negative neglect
neglectful neglig negligee negligence negligent negligible negotiable negotiate negotiation
negotiator neigh neighbor neighborhood neighborliness neither neon neophyte nephew nepotism nerve
nervous nervousness nest nestle net nether netted netting nettle network neural neurologist
neurology neuron neuroses neurosis neurotic neuter neutral neutrality neutralize neutron never
nevertheless new newbie newborn newcomer newer newest newfangled newsagents newscast newscaster
newsier newsiest newsletter newspaper newsprint newsstand newsy newt newton next nibble nice nicer
nicest nicety niche nick nickel nickname nicotine niece niftier niftiest nifty nigh night nightclub
nightclubbed nightclubbing nightfall nightgown nightingale nightmare nightmarish nighttime nil
nimble nimbler nimblest nimbly nincompoop nine nineteen nineteenth ninetieth ninety ninny ninth nip
nipped nippier nippiest nipping nipple nippy nit nite nitrate nitrogen nitwit nobility noble
nobleman noblemen nobler noblest noblewoman noblewomen nobly nobody nocturnal nod nodded nodding
node noes noise noiseless noisier noisiest noisily noisiness noisy nomad nomadic nomenclature
nominal nominate nomination nominative nominee non nonchalance nonchalant noncommittal nonconformist
nondescript none nonentity nonetheless nonfiction nonflammable nonpartisan nonprofit nonresident
nonsense nonsensical nonstandard nonstop nontrivial nonviolence noodle nook noon noose nor norm
normal normality north northeast northeasterly northeastern northerly northern northward northwest
northwestern nose nosebleed nosey nosier nosiest nostalgia nostalgic nostril nosy not notable
notably notation notch note notebook noteworthy nothing nothingness notice noticeable noticeably
noticeboard notification notified notify notion notional notoriety notorious nougat nought noun
nourish nourishment nova novel novelist novelty novice now nowadays nowhere noxious nozzle nuance
nuclear nuclei nucleus nude nuder nudest nudge nudity nugget nuisance null nullified nullify numb
number numbest numbness numeral numerate numerator numeric numerical numerous nun nuptial nurse
nursemaid nursery nurture nut nutcracker nutmeg nutrient nutriment nutrition nutritional nutritious
nutshell nutted nuttier nuttiest nutting nutty nuzzle nylon nymph oaf oak oar oases oasis oath
oatmeal obedience obedient obelisk obese obesity obey obfuscation obituary object objection
objectionable objective objectivity objector obligate obligation obligatory oblige oblique
obliterate obliteration oblivion oblivious oblong obnoxious oboe obscene obscener obscenest
obscenity obscure obscurer obscurest obscurity observable observance observant observation
observatory observe observer obsess obsession obsessive obsolescence obsolescent obsolete obstacle
obstetrician obstetrics obstinacy obstinate obstruct obstruction obstructive obtain obtainable
obtrusive obtuse obtuser obtusest obvious occasion occasional occupancy occupant occupation
occupational occupied occupy occur occurred occurrence occurring ocean oceanic oceanography octagon
octagonal octal octave octopi octopus ocular odd odder oddest oddity ode odious odometer odor off
offbeat offend offender offense offensive offensiveness offer offhand office officer official
officiate officious offload offset offsetting offshoot offshore offspring offstage often oftener
oftenest ogle ogre ohm ohs oil oilier oiliest oily ointment okay okra old olden older oldest
olfactory olive omega omelet omelette omen ominous omission omit omitted omitting omnibus
omnipotence omnipotent omnipresent omniscient once oncoming one onerous oneself ongoing onion
onlooker only onomatopoeia onrush onset onslaught onto onus onward oodles ooze opal opaque opaquer
opaquest open opener openest openness opera operand operate operatic operation operational operative
operator ophthalmology opinion opinionated opium opossum opponent opportune opportunist opportunity
oppose opposite opposition oppress oppression oppressive oppressor opt optic optical optician optima
optimal optimism optimist optimistic optimization optimize optimum option optional optometrist
opulent opus oracle oral orange orangutan orangutang oration orator oratory orbit orbital orchard
orchestra orchestral orchestrate orchestration orchid ordain ordeal order ordinance ordinarily
ordinary ordination ore organ organic organism organist organization organizational organize
organizer orgasm orgy orient oriental orientate orientation orifice origin original originality
originate originator ornament ornamental ornate ornithologist ornithology orphan orphanage
orthodontist orthodox orthogonal orthogonality orthography orthopaedics orthopedics oscillate
oscillation oscilloscope osmosis ostensible ostensibly ostentation ostentatious ostracize ostrich
other otherwise otter ouch ought ounce our ourselves oust ouster out outbound outbreak outburst
outcast outclass outcome outcry outdated outdid outdistance outdo outdone outdoor outer outermost
outfield outfit outfitted outfitting outgoing outgrew outgrow outgrown outgrowth outhouse outlaid
outlandish outlast outlaw outlay outlet outline outlive outlook outlying outmoded outnumber
outpatient outpost output outputted outputting outrage outrageous outran outright outrun outrunning
outset outshine outshone outside outsider outskirt outsmart outspoken outstanding outstation
outstrip outstripped outstripping outstript outward outweigh outwit outwitted outwitting ova oval
ovary ovation oven over overall overate overbear overblown overboard overbore overborne overburden
overcame overcast overcharge overcoat overcome overcrowd overdid overdo overdone overdose overdraft
overdraw overdrawn overdrew overdue overeat overeaten overestimate overflow overgrew overgrow
overgrown overhand overhang overhaul overhead overhear overheard overheat overhung overkill overlaid
overlain overland overlap overlapped overlapping overlay overlie overload overlong overlook
overnight overpass overpopulation overpower overprice overprint overran overrate overreact
overridden override overrode overrule overrun overrunning oversampling oversaw overseas oversee
overseen overseer overshadow overshoot overshot oversight oversleep overslept overstate overstep
overstepped overstepping overt overtake overtaken overthrew overthrow overthrown overtime overtone
overtook overture overturn overuse overview overweight overwhelm overwork overwrite overwritten
overwrought ovum owe owl own owner ownership oxen oxidation oxide oxidize oxygen oyster ozone pace
pacemaker pacific pacified pacifier pacifism pacifist pacify pack package packer packet pact pad
padded padding paddle paddock paddy padlock pagan page pageant pageantry pager pagination pagoda
paid pail pain painful painfuller painfullest painless painstaking paint painter pair pajamas pal
palace palatable palate palatial pale paleontologist paleontology paler palest palette pall
pallbearer pallid pallor palm palomino palpable palpably paltrier paltriest paltry pamper pamphlet
pan panacea pancake pancreas pancreatic panda pandemonium pander pane panel panelled panelling pang
panhandle panhandler panic panicked panicking panicky panned panning panorama panoramic pansy pant
panther pantie pantomime pantry panty pap papa papacy papal papaya paper paperback paperweight
paperwork paprika papyri papyrus par parable parachute parade paradigm paradise paradox paradoxical
paraffin paragon paragraph parakeet parallel parallelled parallelling paralyses paralysis paralytic
paralyze parameter paramount paranoia paranoid paraphernalia paraphrase paraplegic parasite
parasitic parasol paratrooper parcel parcelled parcelling parch parchment pardon pardonable pare
parent parentage parental parentheses parenthesis parenthetical parenthood parish parishioner parity
park parka parkway parliament parliamentary parlor parochial parodied parody parole parrakeet parred
parring parrot parse parsec parser parsley parsnip parson parsonage part partake partaken partial
partiality participant participate participation participle particle particular partied partisan
partition partizan partner partnership partook partridge party pas passable passage passageway
passbook passenger passer passion passionate passive passport password past pasta paste pastel
pasteurization pasteurize pastiche pastier pastiest pastime pastor pastoral pastry pasture pasty pat
patch patchwork patchy pate patent paternal paternalism paternity path pathetic pathetically
pathological pathologist pathology pathos pathway patience patient patienter patientest patio
patriarch patriarchal patrimony patriot patriotic patriotism patrol patrolled patrolling patron
patronage patronize patted patter pattern patting patty paucity paunch paunchier paunchiest paunchy
pauper pause pave pavement pavilion paw pawn pawnbroker pay payable payer payload payment payoff
payroll pea peace peaceable peaceful peacemaker peach peacock peak peal peanut pear pearl peasant
pease peat pebble pecan peck peculiar peculiarity pedagogy pedal pedalled pedalling pedant pedantic
pedantry peddle peddler pedestal pedestrian pediatrician pediatrics pediatrist pedigree pedlar peek
peel peep peer peerless peeve peevish peg pegged pegging pelican pellet pelt pelves pelvic pelvis
pen penal penalize penalty penance pence penchant pencil pencilled pencilling pend pendant pendulum
penetrate penetration penguin penicillin peninsula penis penitence penitent penitentiary penknife
penknives penmanship pennant penned penniless penning penny pension pensioner pensive pentagon
pentagonal penthouse penultimate peon peony people pep pepped pepper peppermint pepping per perceive
percent percentage perceptible perception perceptive perch perchance percolate percolation
percolator percussion peremptory perennial perfect perfecter perfectest perfection perfectionist
perforate perforation perform performance performer perfume perfunctorily perfunctory perhaps peril
perilled perilling perilous perimeter period periodic periodical peripheral periphery periscope
perish perishable perjure perjury perk perkier perkiest perky permanence permanent permeate
permissible permission permissive permit permitted permitting permutation pernicious peroxide
perpendicular perpetrate perpetrator perpetual perpetuate perplex perplexity persecute persecution
persecutor perseverance persevere persist persistence persistent person persona personable personal
personality personalize personified personify personnel perspective perspiration perspire persuade
persuasion persuasive pert pertain perter pertest pertinent perturb perusal peruse pervade pervasive
perverse perversion pervert peskier peskiest pesky pessimism pessimist pessimistic pest pester
pesticide pestilence pet petal peter petite petition petrified petrify petrol petroleum petted
petticoat pettier pettiest pettiness petting petty petulant petunia pew pewter phantasied phantasy
phantom pharmaceutical pharmacist pharmacy phase pheasant phenomena phenomenal phenomenon
philanthropic philanthropist philanthropy philosopher philosophical philosophize philosophy phlegm
phlegmatic phobia phoenix phone phonetic phoney phonics phonied phonier phoniest phonograph phony
phosphor phosphorescent phosphorus photo photocopied photocopier photocopy photogenic photograph
photographer photographic photography photon photosynthesis phrase phraseology physic physical
physician physicist physiological physiology physique pianist piano piccolo pick pickaback pickax
pickaxe picket pickier pickiest pickle pickpocket pickup picky picnic picnicked picnicking pictorial
picture picturesque piddle pie piece piecemeal piecework pier pierce piety pig pigeon pigeonhole
pigged pigging piggish piggyback pigheaded pigment pigpen pigtail pike pile pilfer pilgrim
pilgrimage pill pillage pillar pillow pillowcase pilot pimple pimplier pimpliest pimply pin pinch
pincushion pine pineapple pinion pink pinker pinkest pinnacle pinned pinning pinpoint pint pioneer
pious pipe pipeline pique piracy piranha pirate pirouette pis pistachio pistol piston pit pitch
pitcher pitchfork piteous pitfall pithier pithiest pithy pitied pitiful pitiless pittance pitted
pitting pity pivot pivotal pixie pixy pizza placard placate place placement placenta placentae
placid plagiarism plagiarist plagiarize plague plaice plaid plain plainer plainest plaintiff
plaintive plan planar plane planet planetaria planetarium planetary plank plankton planned planner
planning plant plantain plantation planter plaque plasma plaster plastic plate plateau plateaux
platform platinum platitude platoon platter plausibility plausible plausibly play playable playback
player playful playfulness playground playhouse playmate playpen plaything playwright plaza plea
plead pleasant pleasanter pleasantest pleasantry please pleasurable pleasure pleat pled pledge
plentiful plenty plethora pliable pliant plied pliers plight plod plodded plodding plop plopped
plopping plot plotted plotter plotting plough plow ploy pluck plucky plug plugged plugging plum
plumage plumb plumber plume plummet plump plumper plumpest plunder plunge plunger plural plurality
plus plush plusher plushest plusses plutonium ply plywood pneumatic pneumonia poach poacher pocket
pocketbook pockmark pod podded podding podia podium poem poet poetic poetical poetry poignancy
poignant poinsettia point pointer pointless poise poison poisonous poke poker pokey pokier pokiest
poky polar polarity polarization polarize pole polemic police policeman policemen policewoman
policewomen policy polio polish polite politeness politer politest political politician politics
polka poll pollen pollinate pollination pollster pollutant pollute pollution polo polygamous
polygamy polygon polynomial polyp polytechnic pomegranate pomp pompous poncho pond ponder ponderous
pontoon pony poodle pool poop poor poorer poorest pop popcorn pope poplar popped popping poppy
populace popular popularity popularize populate population populous porcelain porch porcupine pore
pork pornographic pornography porous porpoise porridge port portability portable portal portend
portent porter portfolio porthole portico portion portlier portliest portrait portray portrayal pose
position positional positive positivism possess possession possessive possessor possibility possible
possibly possum post postage postal postbox postcard postcode poster posterior posterity
postgraduate posthumous postman postmark postmaster postmen postpone postponement postscript
postulate posture posy pot potassium potato potency potent potential pothole potion potted potter
pottery potting pouch poultry pounce pound pour pout poverty powder powdery power powerful
powerhouse powerless powwow practicable practical practicality practice practise practitioner
pragmatic pragmatism prairie praise praiseworthy pram prance prank prattle prawn pray prayer preach
preacher preamble precarious precaution precautionary precede precedence precedent precinct precious
precipice precipitate precipitation precipitous precise preciser precisest precision preclude
precocious preconceive preconception precursor predator predatory predecessor predefined
predestination predicament predicate predict predictable predictably prediction predictor
predisposition predominance predominant predominate preeminence preeminent preempt preen prefab
prefabbed prefabbing preface prefect prefer preferable preferably preference preferential preferred
preferring prefix pregnancy pregnant prehistoric prejudice prejudicial preliminary prelude premature
premeditation premier premiere premise premiss premium premonition prenatal preoccupation
preoccupied preoccupy prepaid preparation preparatory prepare prepay preponderance preposition
prepositional preposterous prerequisite prerogative prescribe prescription presence present
presentable presentation presenter preservation preservative preserve preside presidency president
presidential press pressure prestige prestigious presto presumably presume presumption presumptuous
presuppose pretence pretend pretender pretense pretension pretentious pretext prettied prettier
prettiest pretty pretzel prevail prevalence prevalent prevent preventable preventible prevention
preventive preview previewer previous prevue prey price priceless prick prickle pricklier prickliest
pride pried priest priestess priesthood prim primaeval primal primarily primary primate prime primer
primeval primitive primmer primmest primp primrose prince principal principality principle print
printable printer printout prior priority prism prison prisoner privacy private privater privatest
privation privatization privatize privier priviest privilege privy prize pro probabilistic
probability probable probably probation probe problem problematic procedural procedure proceed
process procession processional processor proclaim proclamation procrastinate procure procurement
prod prodded prodding prodigal prodigious prodigy produce producer product production productive
productivity profane profanity profess profession professional professor proffer proficiency
proficient profile profit profitable profiteer profound profounder profoundest profundity profuse
profusion progeny prognoses prognosis program programer programmable programme programmer progress
progression progressive prohibit prohibition prohibitive project projectile projection projector
proletarian proletariat proliferate proliferation prolific prolog prologue prolong prom promenade
prominence prominent promiscuity promiscuous promise promontory promote promotion prompt prompter
promptest promptness promulgate prone prong pronoun pronounce pronouncement pronunciation proof
proofread prop propaganda propagate propagation propel propelled propeller propelling propensity
proper properer properest property prophecy prophesied prophesy prophet prophetic proponent
proportion proportional proportionate proposal propose proposition propositional propped propping
proprietary proprietor propriety propulsion prose prosecute prosecution prosecutor prospect
prospective prospector prospectus prosper prosperity prosperous prostitute prostitution prostrate
protagonist protect protection protective protector protein protest protestant protestor protocol
proton prototype protract protractor protrude protrusion proud prouder proudest provable provably
prove proven provenance proverb proverbial provide providence provider province provincial provision
provisional proviso provocation provocative provoke prow prowess prowl prowler proximity proxy prude
prudence prudent prudish prune pry psalm pseudo pseudonym psych psyche psychedelic psychiatric
psychiatrist psychiatry psychic psychoanalysis psychoanalyst psychological psychologist psychology
psychopath psychoses psychosis psychotherapy psychotic pub puberty public publication publicity
publicize publish publisher puck pucker pudding puddle pudgier pudgiest pudgy pueblo puff puffer
puffier puffiest puffy pugnacious puke pull pulley pullover pulmonary pulp pulpit pulsate pulsation
pulse pulverize puma pumice pummel pummelled pummelling pump pumpernickel pumpkin pun punch
punchline punctual punctuality punctuate punctuation puncture pundit pungent punier puniest punish
punishable punishment punitive punk punker punkest punned punning punt punter puny pup pupil pupped
puppet pupping puppy purchase purchaser pure puree purer purest purgatory purge purification
purified purify puritanical purity purple purpler purplest purport purpose purposeful purr purse
pursue pursuit purveyor pus push pusher pushier pushiest pushover pushy pussier pussiest pussy put
putative putrid putt putter puttied putty puzzle pyramid pyre python qua quack quadrangle quadrant
quadratic quadrilateral quadruped quadruple quadruplet quagmire quail quaint quainter quaintest
quake qualification qualified qualifier qualify qualitative quality qualm quandary quantifier
quantify quantitative quantity quantum quarantine quark quarrel quarrelled quarrelling quarrelsome
quarried quarry quart quarter quarterback quartet quartette quartz quash quaver quay queasier
queasiest queasy queen queenlier queenliest queer queerer queerest quell quench queried query quest
question questionable questionnaire queue quibble quiche quick quicken quicker quickest quicksand
quiet quieter quietest quill quilt quinine quintessence quintet quintuplet quip quipped quipping
quirk quirky quit quite quitted quitter quitting quiver quiz quizzed quizzes quizzical quizzing
quorum quota quotation quote quotient rabbi rabbit rabble rabid rabies raccoon race racer racetrack
racial racier raciest racism racist rack racket racketeer racoon racquet racy radar radial radiance
radiant radiate radiation radiator radical radii radio radioactive radioactivity radish radium
radius raffle raft rafter rag ragamuffin rage ragged raggeder raggedest ragging ragtime raid raider
rail railroad railway rain rainbow raincoat raindrop rainfall rainforest rainier rainiest rainstorm
rainwater rainy raise raisin rake rallied rally ram ramble rambler ramification rammed ramming ramp
rampage rampant ramrod ramrodded ramrodding ramshackle ran ranch rancher rancid rancor rancorous
random randomness rang range ranger rank ranker rankest rankle ransack ransom rant rap rape rapid
rapider rapidest rapidity rapist rapped rapping rapport rapt rapture rapturous rare rarer rarest
rarity rascal rash rasher rashest rasp raspberry raster rat rate rather ratification ratified ratify
ratio ration rational rationale rationality rationalize ratted ratting rattle rattler rattlesnake
ratty raucous ravage rave ravel ravelled ravelling raven ravenous ravine ravish raw rawer rawest ray
rayon raze razor reach react reaction reactionary reactive reactor read readability readable reader
readership readied readier readiest readily readiness readjust ready real realer realest realism
realist realistic realistically reality realization realize reallocate realm realty ream reap reaper
reappear rear rearrange rearrangement reason reasonable reasonably reassurance reassure rebate rebel
rebelled rebelling rebellion rebellious rebind rebirth reborn rebound rebuff rebuild rebuilt rebuke
rebut rebuttal rebutted rebutting recalcitrant recall recant recap recapped recapping recapture
recede receipt receive receiver recent recenter recentest receptacle reception receptionist
receptive recess recession recharge rechargeable recipe recipient reciprocal reciprocate recital
recitation recite reckless recklessness reckon reclaim reclamation recline recluse recognition
recognizable recognize recoil recollect recollection recommend recommendation recompense recompile
reconcile reconciliation recondition reconfigure reconnaissance reconnect reconsider reconstruct
reconstruction record recorder recount recoup recourse recover recoverable recovery recreate
recreation recreational recruit recruitment recta rectal rectangle rectangular rectified rectify
rector rectum recuperate recuperation recur recurred recurrence recurrent recurring recursion
recursive recycle red redden redder reddest redeem redeemable redefine redefinition redemption
redesign redhead redid redirect redirection rediscover redistribute redistribution redo redone
redraft redraw redress reduce reduction redundancy redundant reed reef reek reel reelect reenforce
refer referee reference referenda referendum referred referring refill refine refinement refinery
reflect reflection reflective reflector reflex reflexive reform reformat reformation reformatted
reformatting reformer refraction refrain refresh refreshment refrigerate refrigeration refrigerator
refuel refuelled refuelling refuge refugee refund refurbish refurbishment refusal refuse refutation
refute regain regal regale regalia regard regardless regatta regenerate regeneration regent regime
regimen regiment regimental region regional register registrar registration registry regress
regression regret regretful regrettable regrettably regretted regretting regular regularity regulate
regulation regurgitate rehabilitate rehabilitation rehash rehearsal rehearse reign reimburse
reimbursement rein reincarnate reincarnation reindeer reinforce reinforcement reinstate
reinstatement reis reiterate reiteration reject rejection rejoice rejoin rejoinder rejuvenate
rejuvenation relaid relapse relate relation relational relationship relative relativistic relativity
relax relaxation relay releasable release relegate relent relentless relevance relevant reliability
reliable reliably reliance reliant relic relied relief relieve religion religious relinquish relish
relive reload relocatable relocate relocation reluctance reluctant rely remade remain remainder
remake remark remarkable remarkably remedial remedied remedy remember remembrance remind reminder
reminisce reminiscence reminiscent remiss remission remit remittance remitted remitting remnant
remodel remodelled remodelling remorse remorseful remorseless remote remoter remotest removable
removal remove remunerate remuneration renaissance rename rend render rendezvous rendition renegade
renege renew renewable renewal renounce renovate renovation renown rent rental renunciation reopen
reorganization reorganize repaid repair reparation repatriate repay repayment repeal repeat
repeatable repel repellant repelled repellent repelling repent repentance repentant repercussion
repertoire repetition repetitious repetitive rephrase replace replacement replay replenish replete
replica replicate replication replied reply report reporter repose repository reprehensible
represent representation representative repress repression repressive reprieve reprimand reprint
reprisal reproach reproduce reproduction reproductive reprogram reprogrammed reprogramming reprove
reptile republic republican repudiate repudiation repugnance repugnant repulse repulsion repulsive
reputable reputation repute request requiem require requirement requisite requisition reread reroute
resale reschedule rescind rescue rescuer research researcher resemblance resemble resent resentful
resentment reservation reserve reservoir reset resetting reshuffle reside residence resident
residential residual residue resign resignation resilience resilient resin resist resistance
resistant resistor resolute resolution resolve resolver resonance resonant resort resound resource
resourceful respect respectability respectable respectably respectful respective respiration
respirator respiratory respite resplendent respond response responsibility responsible responsibly
responsive rest restart restaurant restful restfuller restfullest restitution restive restless
restlessness restoration restore restrain restraint restrict restriction restrictive restructure
resubmit resubmitted resubmitting result resultant resume resumption resurface resurgence resurrect
resurrection resuscitate resuscitation retail retailer retain retainer retaliate retaliation retard
retch retention rethink reticence reticent retina retinae retire retirement retort retrace retract
retraction retreat retribution retrieval retrieve retriever retroactive retrograde retrospect
retrospective retry return returnable retype reunion reunite reuse rev revamp reveal revel
revelation reveler revelled reveller revelling revelry revenge revengeful revenue reverberate
reverberation revere reverence reverent reverie reversal reverse reversible reversion revert revery
review reviewer revile revise revision revisit revival revive revoke revolt revolution revolutionary
revolutionize revolve revolver revue revulsion revved revving reward rewind rework rewrite rewritten
rewrote rhapsody rhetoric rhetorical rheumatism rhino rhinoceri rhinoceros rhododendron rhubarb
rhyme rhythm rhythmic rib ribbed ribbing ribbon rice rich richer richest richness ricketier
ricketiest rickety ricksha rickshaw ricochet ricochetted ricochetting rid riddance ridded ridden
ridding riddle ride rider ridge ridicule ridiculous rife rifer rifest rifle rift rig rigged rigging
right righteous righteousness righter rightest rightful rightmost rightness rigid rigidity rigor
rigorous rile rim rimmed rimming rind ring ringleader ringlet ringworm rink rinse riot rioter
riotous rip ripe ripen ripeness riper ripest riposte ripped ripping ripple rise risen riser risk
riskier riskiest risky rite ritual rival rivalled rivalling rivalry river rivet rivetted rivetting
roach road roadblock roadside roam roar roast rob robbed robber robbery robbing robe robin robot
robust robuster robustest robustness rock rocker rocket rockier rockiest rocky rod rode rodent rodeo
roe rogue roguish role roll roller roman romance romantic romantically romp roof rook rookie room
roomier roomiest roommate roomy roost rooster root rooter rope rosary rose rosemary rosier rosiest
roster rostra rostrum rosy rot rotary rotate rotation rote rotisserie rotor rotted rotten rottener
rottenest rotting rotund rotunda rouge rough roughage roughen rougher roughest roughhouse roughness
roulette round roundabout rounder roundest roundness rouse rout route router routine row rowboat
rowdier rowdiest rowdiness rowdy royal royalty rpm rub rubbed rubber rubbing rubbish rubble rubier
rubiest rubric ruby rucksack ruckus rudder ruddier ruddiest ruddy rude rudeness ruder rudest
rudimentary rue rueful ruff ruffian ruffle rug rugby rugged ruggeder ruggedest ruin ruinous rule
ruler rum rumble ruminate rummage rummer rummest rummy rumor rump rumple run runaway rundown rune
rung runner runnier runniest running runny runt runway rupture rural ruse rush rust rustic rustier
rustiest rustle rustler rusty rut ruthless ruthlessness rutted rutting rye sabbatical saber sabotage
saboteur sabre sac sack sacrament sacred sacrifice sacrificial sacrilege sacrilegious sad sadden
sadder saddest saddle sadism sadist sadistic sadness safari safe safeguard safekeeping safer safest
safety saffron sag saga sage sagebrush sager sagest sagged sagging said sail sailboat sailor saint
saintlier saintliest sake saki salable salad salami salary sale saleable salesman salesmen
salespeople salesperson saleswoman saleswomen salient saliva salivate sallow sallower sallowest
sally salmon salon saloon salt salter saltest saltier saltiest salty salutation salute salvage
salvation salve same sameness sample sampler sanatoria sanatorium sanctified sanctify sanctimonious
sanction sanctity sanctuary sand sandal sandbag sandbagged sandbagging sandier sandiest sandman
sandmen sandpaper sandstone sandstorm sandwich sandy sane saner sanest sang sanitaria sanitarium
sanitary sanitation sanity sank sanserif sap sapling sapped sapphire sapping sarcasm sarcastic
sarcastically sardine saree sari sash sassier sassiest sassy sat satanic satchel satellite satin
satire satirical satirist satirize satisfaction satisfactorily satisfactory satisfied satisfy
saturate saturation sauce saucepan saucer saucier sauciest saucy sauerkraut sauna saunter sausage
sauted savage savager savagery savagest save saver savior saviour savor savorier savoriest savory
savvied savvier savviest savvy saw sawdust sawn saxophone say scab scabbed scabbing scaffold scalar
scald scale scalier scaliest scallop scalp scalpel scaly scamper scan scandal scandalize scandalous
scanned scanner scanning scant scanter scantest scantier scantiest scanty scapegoat scar scarce
scarcer scarcest scarcity scare scarecrow scarf scarier scariest scarlet scarred scarring scarves
scary scathing scatter scatterbrain scavenger scenario scene scenery scenic scent scepter schedule
scheduler scheme schemer schizophrenia schizophrenic scholar scholarship scholastic school schoolboy
schoolchild schoolchildren schoolteacher schooner science scientific scientifically scientist
scissor scoff scold scollop scoop scoot scooter scope scorch score scorer scorn scornful scorpion
scotch scoundrel scour scourge scout scowl scrabble scram scramble scrammed scramming scrap
scrapbook scrape scrapped scrapping scratch scratchier scratchiest scratchy scrawl scrawnier
scrawniest scrawny scream screech screen screw screwdriver screwier screwiest screwy scribble scribe
script scripture scriptwriter scroll scrounge scrub scrubbed scrubbing scruff scruffier scruffiest
scruffy scruple scrupulous scrutinize scrutiny scuff scuffle sculptor sculpture scum scummed
scumming scurried scurrilous scurry scuttle scythe sea seafaring seafood seal seam seaman seamen
seamstress seaport sear search searchlight seashell seashore seasick seasickness seaside season
seasonable seasonal seat seaweed sec secede secession seclude seclusion second secondarily secondary
secrecy secret secretarial secretary secrete secretion secretive sect section sector secular secure
securer securest security sedan sedate sedater sedatest sedative sedentary sediment sedimentary
seduce seduction seductive see seedier seediest seedling seedy seek seem seen seep seepage seer
seesaw seethe segment segmentation segregate segregation seize seizure seldom select selection
selective selector self selfish selfishness sell seller selves semantic semantically semblance semen
semester semicircle semicolon semiconductor semifinal seminar seminary senate senator send sender
senile senility senior seniority sensation sensational sensationalism sense senseless sensibility
sensible sensibly sensitive sensitivity sensor sensory sensual sensuality sensuous sent sentence
sentience sentient sentiment sentimental sentimentality sentry separate separation separator
sepulcher sequel sequence sequencer sequential sequin sera serenade serene serener serenest serenity
sergeant serial series serious seriousness sermon serpent serum servant serve server service
serviceable serviceman servicemen serviette servile servitude session set setback settable setter
setting settle settlement settler seven seventeen seventeenth seventh seventy sever several
severance severe severer severest severity sew sewage sewer sewn sex sexism sexist sexual sexuality
sexy shabbier shabbiest shabbily shabby shack shackle shade shadier shadiest shadow shadowier
shadowiest shadowy shady shaft shaggier shaggiest shaggy shaikh shake shaken shakier shakiest shaky
shall shallow shallower shallowest sham shamble shame shameful shameless shammed shamming shampoo
shamrock shanty shape shapelier shapeliest share shareholder shark sharp sharpen sharpener sharper
sharpest sharpness shatter shave shaven shaver shawl shaykh she sheaf shear sheath sheathe sheave
shedding sheen sheep sheepish sheer sheerer sheerest sheet sheik sheikh shelf shell sheller
shellfish shelter shelve shepherd sherbert sherbet sheriff sherry shied shield shift shiftier
shiftiest shiftless shifty shimmer shin shine shingle shinier shiniest shinned shinning shiny ship
shipment shipped shipping shipshape shipwreck shire shirk shirt shiver shoal shock shod shodden
shoddier shoddiest shoddy shoe shoelace shoestring shone shoo shook shoon shoot shop shopkeeper
shoplifter shopped shopper shopping shore shorn short shortage shortcoming shorten shorter shortest
shortfall shorthand shortlist shortness shot shotgun shotgunned shotgunning should shoulder shout
shove shovel shovelled shovelling show showcase showdown shower showier showiest showman showmen
shown showy shrank shrapnel shred shredded shredding shrew shrewd shrewder shrewdest shrewdness
shriek shrill shriller shrillest shrimp shrine shrink shrinkage shrivel shrivelled shrivelling
shroud shrub shrubbery shrug shrugged shrugging shrunk shrunken shuck shudder shuffle shun shunned
shunning shunt shut shutdown shutter shutting shuttle shy shyer shyest shyness sibling sic sick
sicken sicker sickest sickle sicklier sickliest sickness side sideline sidelong sideshow sidestep
sidestepped sidestepping sidetrack sidewalk sideways sidle siege sierra siesta sieve sift sigh sight
sightless sigma sign signal signalled signalling signature signer significance significant signified
signify signpost silence silent silenter silentest silhouette silicon silk silken sill sillier
silliest silliness silly silo silt silver silversmith silverware silvery similar similarity simile
simmer simple simpler simplest simplex simplicity simplification simplified simplify simplistic
simply simulate simulation simulator simultaneous sin since sincere sincerer sincerest sincerity
sine sinew sinewy sinful sing singe singer single singular singularity sinister sink sinned sinner
sinning sinus sip siphon sipped sipping sir sire siren sirloin sirup sissier sissiest sissy sister
sisterhood sit site sitter sitting situate situation six sixpence sixteen sixteenth sixth sixtieth
sixty sizable size sizeable sizer sizzle skate skateboard skater skein skeleton skeptic skeptical
skepticism sketch sketchier sketchiest sketchy skew skewer ski skid skidded skidding skilful skill
skillet skillful skim skimmed skimming skimp skimpier skimpiest skimpy skin skinflint skinned
skinnier skinniest skinning skinny skip skipped skipper skipping skirmish skirt skit skittish skulk
skull skunk sky skylight skyline skyrocket skyscraper slab slabbed slabbing slack slacken slacker
slackest slag slain slake slam slammed slamming slander slang slant slap slapped slapping slapstick
slash slat slate slaughter slave slavery slavish slay sleazier sleaziest sleazy sled sledded
sledding sledgehammer sleek sleeker sleekest sleep sleeper sleepier sleepiest sleepless sleepy sleet
sleeve sleeveless sleigh slender slenderer slenderest slept slew slice slick slicker slickest slid
slide slier sliest slight slighter slightest slily slim slime slimier slimiest slimmed slimmer
slimmest slimming slimy sling slingshot slink slip slipped slipper slipperier slipperiest slippery
slipping slipshod slit slither slitter slitting sliver slob slobber slog slogan slogged slogging
slop slope slopped sloppier sloppiest slopping sloppy slosh slot sloth slothful slotted slotting
slouch slovenlier slovenliest slovenly slow slower slowest slowness sludge slug slugged slugging
sluggish sluice slum slumber slummed slummer slumming slump slung slunk slur slurred slurring slush
slut sly slyer slyest slyness smack small smaller smallest smallish smallpox smart smarter smartest
smash smattering smear smell smellier smelliest smelly smelt smidge smidgen smidgeon smidgin smile
smirk smit smite smith smithereens smitten smock smog smoke smoker smokestack smokier smokiest smoky
smolder smooth smoother smoothest smoothness smote smother smoulder smudge smug smugger smuggest
smuggle smuggler smut snack snag snagged snagging snail snake snap snapped snappier snappiest
snapping snappy snapshot snare snarl snatch sneak sneaker sneakier sneakiest sneaky sneer sneeze
snicker snide snider snidest sniff sniffle snigger snip snipe sniper snipped snippet snipping snitch
snob snobbery snobbish snooker snoop snootier snootiest snooty snooze snore snorkel snorkelled
snorkelling snort snot snout snow snowball snowdrift snowfall snowflake snowier snowiest snowplow
snowstorm snowy snub snubbed snubbing snuck snuff snuffer snug snugged snugger snuggest snugging
snuggle soak soap soapier soapiest soapy soar sob sobbed sobbing sober soberer soberest sobriety
soccer sociable social socialism socialist socialize society sociological sociologist sociology sock
socket sod soda sodded sodden sodding sodium sodomy sofa soft softball soften softer softest
softness software soggier soggiest soggy soil sojourn solace solar sold solder soldier sole solemn
solemner solemnest solemnity soli solicit solicitor solicitous solid solidarity solider solidest
solidified solidify solidity solitaire solitary solitude solo soloist soluble solution solve solvent
somber sombre some somebody someday somehow someone someplace somersault something sometime somewhat
somewhere son sonata song sonic sonnet sonorous soon sooner soonest soot soothe sootier sootiest
sooty sop sophisticate sophistication sophistry sophomore sopped sopping soprano sorcerer sorceress
sorcery sordid sore sorer sorest sorority sorrier sorriest sorrow sorrowful sorry sort sorta sought
soul sound sounder soundest soundproof soundtrack soup sour source sourer sourest south southeast
southeastern southerly southern southerner southpaw southward southwest southwestern souvenir
sovereign sovereignty sow sown sox spa space spacecraft spaceship spacial spacious spade spaghetti
span spangle spaniel spank spanned spanner spanning spar spare sparer sparest spark sparkle sparkler
sparred sparring sparrow sparse sparser sparsest spasm spasmodic spat spate spatial spatted spatter
spatting spatula spawn spay speak speaker spear spearhead spearmint special specialist
specialization specialize specialty species specific specifically specification specified specifier
specify specimen specious speck spectacle spectacular spectator specter spectra spectrum speculate
speculation speculative speculator sped speech speechless speed speedboat speedier speediest
speedometer speedy spell spellbind spellbound speller spelt spend spendthrift spent sperm spew
sphere spherical sphinges sphinx spice spicier spiciest spicy spider spied spigot spike spill spilt
spin spinach spinal spindlier spindliest spindly spine spineless spinning spinster spiral spiralled
spiralling spire spirit spiritual spit spite spiteful spitefuller spitefullest spitted spitting
spittle splash splat splatter spleen splendid splendider splendidest splendor splice splint splinter
split splitting splurge spoil spoilt spoke spoken spokesman spokesmen spokespeople spokesperson
spokeswoman spokeswomen sponge spongier spongiest spongy sponsor sponsorship spontaneity spontaneous
spoof spook spookier spookiest spooky spool spoon spoonful spoonsful sporadic spore sporran sport
sportsmanship spot spotless spotlight spotted spottier spottiest spotting spotty spouse spout sprain
sprang sprawl spray spread spreadsheet spree sprier spriest sprig spring springboard springier
springiest springtime springy sprinkle sprinkler sprint sprinter sprout spruce sprucer sprucest
sprung spry spryer spryest spud spun spunk spur spurious spurn spurred spurring spurt sputter spy
squabble squad squadron squalid squalider squalidest squall squalor squander square squarer squarest
squash squat squatted squatter squattest squatting squawk squeak squeakier squeakiest squeaky squeal
squeamish squeeze squelch squid squint squinter squintest squire squirm squirrel squirrelled
squirrelling squirt stab stabbed stabbing stability stabilize stable stabler stablest stack stadia
stadium staff stag stage stagecoach stagger stagnant stagnate stagnation staid staider staidest
stain stair staircase stairway stake stale stalemate staler stalest stalk stall stallion stalwart
stamina stammer stamp stampede stance stanch stancher stanchest stand standard standardize standby
standoff standpoint standstill stank stanza staple stapler star starboard starch starchier
starchiest starchy stardom stare starfish stark starker starkest starlight starred starrier
starriest starring starry start starter startle starvation starve state statelier stateliest
statement stater statesman statesmanship statesmen static station stationary stationery statistic
statistical statistician statue stature status statute statutory staunch stauncher staunchest stave
stay steadfast steadied steadier steadiest steadily steady steak steal stealth stealthier
stealthiest stealthily stealthy steam steamier steamiest steamroller steamy steel steep steeper
steepest steeple steer stellar stem stemmed stemming stench stencil stencilled stencilling
stenographer stenography step stepladder stepped stepping stereo stereotype sterile sterilization
sterilize sterling stern sterner sternest sternness stethoscope stew steward stewardess stick
sticker stickier stickiest stickler sticky stiff stiffen stiffer stiffest stiffness stifle stigma
stigmata still stillborn stiller stillest stillness stilted stimulant stimulate stimulation stimuli
stimulus sting stinger stingier stingiest stinginess stingy stink stint stipulate stipulation stir
stirred stirring stirrup stitch stock stockade stockbroker stockholder stockier stockiest stockpile
stocky stockyard stodgier stodgiest stodgy stoical stoke stole stolen stolid stolider stolidest
stomach stomp stone stoney stonier stoniest stony stood stool stoop stop stopgap stopover stoppage
stopped stopper stopping stopwatch storage store storehouse storekeeper storeroom storey stork storm
stormier stormiest stormy story stout stouter stoutest stove stow stowaway straddle straggle
straggler straight straighten straighter straightest straightjacket strain strainer strait
straitjacket strand strange strangeness stranger strangest strangle strangulation strap strapped
strapping strata stratagem strategic strategy stratified stratify stratosphere stratum straw
strawberry stray streak stream streamer streamline street streetcar strength strengthen strenuous
stress stressful stretch stretcher strew strewn stricken strict stricter strictest strictness
stridden stride strife strike striker string stringent stringier stringiest stringy strip stripe
stripped stripper stripping stript strive striven strode stroke stroll stroller strong stronger
strongest stronghold strove struck structural structuralist structure struggle strum strummed
strumming strung strut strutted strutting stub stubbed stubbier stubbiest stubbing stubble stubborn
stubborner stubbornest stubby stuck stud studded studding student studentship studied studio
studious study stuff stuffier stuffiest stuffy stumble stump stun stung stunk stunned stunning stunt
stupefied stupefy stupendous stupid stupider stupidest stupidity stupor sturdier sturdiest sturdy
stutter style stylish stylistic stylus suave suaver suavest sub subbed subbing subcommittee
subconscious subdivide subdivision subdue subgroup subject subjective subjugate subjunctive sublet
subletting sublime sublimer sublimest submarine submerge submersion submission submissive submit
submitted submitting subnormal subordinate subprogram subroutine subscribe subscriber subscript
subscription subsection subsequent subservient subset subside subsidiary subsidize subsidy subsist
subsistence substance substandard substantial substantiate substitute substitution subsystem
subterfuge subterranean subtle subtler subtlest subtlety subtly subtract subtraction suburb suburban
subversive subvert subway succeed success successful succession successive successor succinct
succincter succinctest succor succulent succumb such suck sucker suckle suction sudden suds sue
suede suffer sufferer suffice sufficient suffix suffocate suffocation suffrage sugar sugarier
sugariest sugary suggest suggester suggestion suggestive suicidal suicide suit suitability suitable
suitably suitcase suite suitor sulfur sulk sulkier sulkiest sulky sullen sullener sullenest sulphur
sultan sultrier sultriest sultry sum summarily summarize summary summed summer summing summit summon
sumptuous sun sunbathe sunburn sunburnt sundae sundial sundown sundry sunflower sung sunglasses sunk
sunken sunlight sunlit sunned sunnier sunniest sunning sunny sunrise sunscreen sunset sunshine
suntan suntanned suntanning sunup sup super superb superber superbest supercomputer superficial
superfluous superhuman superimpose superintendent superior superiority superlative supermarket
supernatural superscript supersede supersonic superstar superstition superstitious superstructure
supervise supervision supervisor supervisory supper supplant supple supplement supplementary suppler
supplest supplied supplier supply support supporter supportive suppose supposition suppress
suppression supremacy supreme surcharge sure surer surest surf surface surfboard surge surgeon
surgery surgical surlier surliest surly surmise surmount surname surpass surplus surplussed
surplussing surprise surreal surrender surreptitious surround surveillance survey surveyor survival
survive survivor susceptible suspect suspend suspender suspense suspension suspicion suspicious
sustain sustainable sustenance swab swabbed swabbing swagger swaggerer swallow swam swamp swampier
swampiest swampy swan swap swapped swapping swarm swarthier swarthiest swarthy swat swathe swatted
swatting sway swear sweat sweater sweaty sweep sweeper sweepstake sweet sweeten sweeter sweetest
sweetheart sweetness swell sweller swellest swept swerve swift swifter swiftest swig swigged
swigging swill swim swimming swindle swindler swine swing swipe swirl swish swisher swishest switch
switchable switchboard switcher swivel swivelled swivelling swollen swoon swoop sword swordfish
swore sworn swum swung syllabi syllable syllabus symbol symbolic symbolism symbolize symmetric
symmetrical symmetry sympathetic sympathize sympathy symphonic symphony symptom symptomatic synagog
synagogue synapse synchronize synchronous syndicate syndrome synonym synonymous synopses synopsis
syntactic syntactically syntax syntheses synthesis synthesize synthesizer synthetic syphilis syphon
syringe syrup system systematic systematically tab tabbed tabbing tabby tabernacle table tablecloth
tablespoon tablespoonful tablespoonsful tablet tabloid taboo tabu tabulate tabulation tacit taciturn
tack tackier tackiest tackle tacky taco tact tactful tactic tactical tactless tadpole tag tagged
tagging tail tailgate taillight tailor tailspin taint take taken takeoff takeover taker talc tale
talent talisman talk talkative talker tall taller tallest tallied tallow tally talon tambourine tame
tameness tamer tamest tamper tan tandem tang tangent tangential tangerine tangible tangle tango tank
tankard tanker tanned tanner tannest tanning tantalize tantamount tantrum tap tape taper tapestry
tapped tapping tar tarantula tarantulae tardier tardiest tardiness tardy target tariff tarnish
tarpaulin tarred tarried tarrier tarriest tarring tarry tart tartan tartar tarter tartest task
tassel tasselled tasselling taste tasteful tasteless tastier tastiest tasty tattle tattoo tatty
taught taunt taut tauter tautest tautology tavern tawdrier tawdriest tawdry tawnier tawniest tawny
tax taxable taxation taxi taxicab taxpayer taxying tea teach teacher teacup teak team teammate
teamster teamwork teapot tear teardrop tearful tease teaspoon teat technical technicality technician
technique technological technology tedious tedium tee teem teen teenage teenager teepee teeter teeth
teethe teetotal teetotaler teetotaller telegram telegraph telepathic telepathy telephone telescope
teletype televise television tell teller telltale temper temperament temperamental temperance
temperate temperature tempest tempestuous tempi template temple tempo temporal temporarily temporary
tempt temptation ten tenable tenacious tenacity tenancy tenant tend tendency tender tenderer
tenderest tenderize tenderness tendon tendril tenement tenet tennis tenor tense tenser tensest
tension tensors tent tentacle tentative tenth tenuous tenure tepee tepid term terminal terminate
termination terminator termini terminology terminus termite terrace terrain terrestrial terrible
terribly terrier terrific terrified terrify territorial territory terror terrorism terrorist
terrorize terse terseness terser tersest test testable testament tester testicle testified testify
testimonial testimony testis tetanus tether text textbook textile textual texture than thank
thankful thankless that thatch thatcher thaw the theater theatre theatrical thee theft their theist
them theme themselves then thence theologian theological theology theorem theoretic theoretical
theorist theorize theory therapeutic therapist therapy there thereabouts thereafter thereby
therefore therein thereof thereon thereupon thermal thermodynamics thermometer thermostat thesauri
thesaurus these thesis theta they thick thicken thicker thickest thicket thickness thief thieve
thigh thimble thin think thinker thinned thinner thinnest thinning third thirst thirstier thirstiest
thirsty thirteen thirteenth thirtieth thirty this thistle thong thorn thornier thorniest thorny
thorough thoroughbred thorougher thoroughest thoroughfare those thou though thought thoughtful
thoughtfulness thoughtless thousand thousandth thrash thread threadbare threat threaten three thresh
thresher threshold threw thrice thrift thriftier thriftiest thrifty thrill thriller thrive thriven
throat throb throbbed throbbing throne throng throttle through throughout throughput throve throw
throwaway throwback thrown thrust thud thudded thudding thug thumb thumbtack thump thunder
thunderbolt thunderous thunderstorm thunderstruck thus thwart thy thyme thyroid tiara tick ticket
tickle ticklish tidal tidbit tide tidied tidier tidiest tidy tie tier tiff tiger tight tighten
tighter tightest tightness tightrope tightwad tilde tile till tilt timber time timekeeper timeless
timelier timeliest timer timescale timetable timezone timid timider timidest timidity tin tinder
ting tinge tingle tinier tiniest tinker tinkle tinned tinnier tinniest tinning tinny tinsel
tinselled tinselling tint tiny tip tipi tipped tipping tipsier tipsiest tipsy tiptoe tirade tire
tireder tiredest tireless tiresome tissue tit titbit titillate title titter toad toadstool toast
toaster tobacco toboggan today toddle toddler toe toenail toffee toffy toga togae together toggle
toil toilet token told tolerable tolerably tolerance tolerant tolerate toll tomahawk tomato tomb
tomboy tombstone tomcat tome tomorrow ton tonal tone tong tongue tonic tonight tonnage tonne tonsil
tonsillitis too took tool toolkit toot tooth toothache toothbrush toothpaste toothpick top topaz
topic topical topography topology topped topping topple torch tore torment tormenter tormentor torn
tornado torpedo torque torrent torrential torrid torsi torso tortilla tortoise tortuous torture toss
tost tot total totalitarian totality totalled totalling tote totem totted totter totting toucan
touch touchdown touchier touchiest touchy tough toughen tougher toughest toughness toupee tour
tourist tournament tourniquet tousle tout tow toward towel towelled towelling tower town townspeople
toxic toxin toy trace track tract traction tractor trade trademark trader tradition traditional
traditionalist traffic trafficked trafficking tragedy tragic tragically trail trailer train trainee
trainer trait traitor traitorous tramp trample trampoline trance tranquil tranquiler tranquilest
tranquility tranquilize tranquilizer tranquiller tranquillest tranquillity tranquillize
tranquillizer transact transaction transatlantic transcend transcribe transcript transcription
transfer transferable transferred transferring transform transformation transformer transfusion
transgress transgression transient transistor transit transition transitional transitive transitory
transitted transitting translate translation translator translucent transmission transmit
transmitted transmitter transmitting transparency transparent transpire transplant transport
transportable transportation transpose transverse trap trapdoor trapeze trapezoid trapped trapper
trapping trash trashcan trashier trashiest trashy trauma traumata traumatic traumatize travel
traveler travelled traveller travelling traverse travestied travesty trawl trawler tray treacherous
treachery treacle tread treadmill treason treasure treasurer treasury treat treatise treatment
treaty treble tree trek trekked trekking trellis tremble tremendous tremor trench trend trendier
trendiest trendy trepidation trespass trespasser trestle trial triangle triangular tribal tribe
tribulation tribunal tributary tribute trick trickery trickier trickiest trickle trickster tricky
tricycle tried trifle trigger trigonometry trill trillion trilogy trim trimester trimmed trimmer
trimmest trimming trinity trinket trio trip tripe triple triplet triplicate tripod tripos tripped
tripping trite triter tritest triumph triumphant trivia trivial triviality trod trodden troll
trolley trolly trombone troop trooper trophy tropical trot trotted trotting trouble troublemaker
troublesome trough trounce troupe trouser trout trowel trowelled trowelling truancy truant truce
truck trudge true truer truest truffle truism truly trump trumpet truncate truncation trunk trust
trustee trustful trustier trustiest trustworthier trustworthiest trustworthy trusty truth truthful
truthfulness try tryout tsar tub tuba tube tuberculosis tubular tuck tuft tug tugged tugging tuition
tulip tumble tumbler tummy tumor tumult tumultuous tuna tundra tune tuneful tuner tunic tunnel
tunnelled tunnelling turban turbine turbulence turbulent tureen turf turgid turkey turmoil turn
turnaround turner turnip turnout turnover turnpike turnstile turntable turpentine turquoise turret
turtle turtleneck turves tusk tussle tutor tutorial tuxedo twang tweak twee tweet tweezers twelfth
twelve twentieth twenty twice twiddle twig twigged twigging twilight twin twine twinge twinkle
twinned twinning twirl twist twister twitch twitter two tycoon tying type typeface typescript
typeset typesetter typesetting typewriter typhoid typhoon typhus typical typified typify typist
typographic typographical tyrannical tyrannize tyranny tyrant tzar ubiquitous udder ugh uglier
ugliest ugliness ugly ulcer ulterior ultimata ultimate ultimatum ultra ultrasonic ultraviolet
umbrella umpire umpteen unable unacceptable unacceptably unaccepted unaccountable unaccountably
unadulterated unaffected unaltered unambiguous unanimity unanimous unanswerable unanswered unarmed
unassigned unassuming unattached unattainable unattended unattractive unauthorized unavailable
unavoidable unaware unbalanced unbearable unbearably unbeatable unbecoming unbelievable unbelievably
unbeliever unbiased unbiassed unblock unborn unbreakable unbroken unburden uncannier uncanniest
uncanny unceasing uncertain uncertainty unchallenged unchanged uncharitable unchristian uncle
unclean uncleaner uncleanest unclear uncomfortable uncomfortably uncommon uncommoner uncommonest
uncompromising unconcerned unconditional unconfirmed unconnected unconscious uncontrollable
uncontrolled unconventional unconvinced unconvincing uncountable uncouth uncover uncultured uncut
undamaged undaunted undecidable undecided undefined undemocratic undeniable undeniably under
underbrush undercover undercurrent undercut undercutting underdog underestimate underflow underfoot
undergarment undergo undergone undergraduate underground undergrowth underhanded underlain underlay
underlie underline underlying undermine underneath undernourished underpants underpass underrate
underscore undershirt underside understand understandable understandably understate understatement
understood understudied understudy undertake undertaken undertaker undertone undertook undertow
underwater underwear underweight underwent underworld underwrite underwritten underwrote undeserved
undesirable undetected undeveloped undid undisturbed undo undocumented undone undoubted undress
undue unduly undying unearth uneasier uneasiest uneasily uneasiness uneasy uneconomic uneconomical
uneducated unemployable unemployed unemployment unenlightened unequal unequalled unequivocal
unerring unethical uneven uneventful unexpected unexplained unfailing unfair unfairer unfairest
unfaithful unfamiliar unfasten unfavorable unfeasible unfeeling unfilled unfinished unfit unfitted
unfitting unfold unforeseen unforgettable unforgivable unfortunate unfounded unfriendlier
unfriendliest unfriendly unfunny unfurl ungainlier ungainliest ungainly ungodlier ungodliest ungodly
ungrammatical ungrateful unhappier unhappiest unhappily unhappiness unhappy unhealthier unhealthiest
unhealthy unheard unhelpful unhook unicorn unicycle unidentified unification unified uniform
uniformity unify unilateral unimaginative unimportant unimpressed uninformative uninformed
uninhibited uninitiated uninspired uninspiring unintelligent unintelligible unintended unintentional
uninterested uninteresting union unionize unique uniqueness uniquer uniquest unison unit unite unity
universal universe university unjust unjustifiable unjustified unkempt unkind unkinder unkindest
unkindlier unkindliest unknown unlabeled unlawful unleash unless unlike unlikelier unlikeliest
unlimited unload unlock unluckier unluckiest unlucky unman unmanned unmanning unmarked unmarried
unmask unmistakable unmistakably unmitigated unmodified unmoved unnamed unnatural unnecessarily
unnecessary unnerve unnoticed unobtainable unoccupied unofficial unoriginal unorthodox unpack unpaid
unparalleled unpick unpleasant unpleasantness unpopular unpopularity unprecedented unpredictable
unprepared unprincipled unprintable unprivileged unprotected unproven unprovoked unpublished
unqualified unquestionable unquestionably unravel unravelled unravelling unread unreadable unreal
unrealistic unreasonable unreasonably unrecognized unrelated unrelenting unreliability unreliable
unremarkable unrepeatable unreservedly unresolved unrest unrestricted unrivaled unrivalled unruffled
unrulier unruliest unruly unsafe unsafer unsafest unsaid unsanitary unsatisfactory unsatisfied
unsavory unsay unscathed unscheduled unscientific unscrew unscrupulous unseasonable unseat
unseemlier unseemliest unseemly unseen unset unsettle unsightlier unsightliest unsightly unsigned
unskilled unsolicited unsolved unsound unsounder unsoundest unspeakable unspecified unstable
unstructured unstuck unsuccessful unsuitable unsuited unsung unsupportable unsupported unsure
unsuspecting untangle untenable unthinkable untidier untidiest untidy untie until untiring unto
untold untouched untrained untrue untruer untruest untrustworthy untying unusable unused unusual
unveil unwanted unwarranted unwary unwashed unwelcome unwell unwieldier unwieldiest unwieldy
unwilling unwillingness unwind unwise unwiser unwisest unwittingly unworkable unworthy unwound
unwrap unwrapped unwrapping unwritten upbeat upbringing update upend upgrade upheaval upheld uphill
uphold upholster upholsterer upholstery upkeep uplift upload upon upped upper uppermost upping
upright uprising uproar uproot ups upset upsetting upshot upside upstairs upstanding upstart
upstream uptake uptight uptown upturn upward uranium urban urbane urbaner urbanest urchin urge
urgency urgent urinate urine urn usable usage use useable useful usefulness useless uselessness user
usher usual usurp utensil uteri uterus utilitarian utilitarianism utility utilization utilize utmost
utter utterance vacancy vacant vacate vacation vaccinate vaccination vaccine vacillate vacua vacuous
vacuum vagabond vagary vagina vaginae vaginal vagrant vague vagueness vaguer vaguest vain vainer
vainest valentine valet valiant valid validate validation validity valise valley valor valuable
value valueless valve vampire van vandal vandalism vandalize vane vanguard vanilla vanish vanity
vanned vanning vanquish vapor vaporize variable variance variant variation varied variety various
varnish varsity vary vase vast vaster vastest vastness vat vatted vatting vault veal vector veer
vegetable vegetarian vegetarianism vegetation vehement vehicle veil vein velocity velour velvet
velvety vend vender vendor veneer venerable venerate veneration vengeance vengeful venison venom
venomous vent ventilate ventilation ventilator ventricle ventriloquist venture venue veracity
veranda verandah verb verbal verbatim verbiage verbose verbosity verdict verge verier veriest
verification verified verify veritable vermin vernacular versatile versatility verse version versus
vertebra vertebrae vertebrate vertical vertices vertigo verve very vessel vest vestibule vestige
vestment vet veteran veterinarian veterinary veto vetted vetting vex vexation via viability viable
viaduct vial vibrant vibrate vibration vicar vicarious vice vicinity vicious victim victimize victor
victorious victory video videotape vie view viewer viewpoint vigil vigilance vigilant vigilante
vigor vigorous vii viii vile viler vilest vilified vilify villa village villager villain villainous
villainy vindicate vindictive vine vinegar vineyard vintage vinyl viola violate violation violence
violent violet violin viper viral virgin virginity virile virility virtual virtue virtuosi virtuoso
virtuous virulent virus visa vise visibility visible visibly vision visionary visit visitation
visitor visor vista visual visualize vital vitality vitamin vitriolic vivacious vivacity vivid
vivider vividest vivisection vizor vocabulary vocal vocalist vocation vocational vociferous vodka
vogue voice void volatile volcanic volcano volition volley volleyball volt voltage volume voluminous
voluntarily voluntary volunteer voluptuous vomit voodoo voracious vortex vortices vote voter vouch
voucher vow vowel voyage voyager vulgar vulgarer vulgarest vulgarity vulnerability vulnerable
vulture vying wad wadded wadding waddle wade wafer waffle waft wag wage wager wagged wagging wagon
waif wail waist waistline wait waiter waitress waive waiver wake waken walk walker walkout wall
wallet wallop wallow wallpaper walnut walrus waltz wan wand wander wanderer wane wanna wanner
wannest want wanton war warble ward warden wardrobe warehouse warfare warhead warier wariest warlike
warm warmer warmest warmth warn warp warpath warrant warrantied warranty warred warren warring
warrior wart wartime wary was wash washable washcloth washer washout washroom wasp wastage waste
wastebasket wasteful wasteland watch watchdog watchful watchman watchmen watchword water watercolor
waterfall waterfront waterier wateriest waterlogged watermark watermelon waterproof watershed
watertight waterway waterworks watery watt wave waveform wavelength waver wavier waviest wavy wax
waxier waxiest waxy way waylaid waylay wayside wayward weak weaken weaker weakest weakling weakness
wealth wealthier wealthiest wealthy wean weapon weaponry wear wearied wearier weariest wearily
weariness wearisome weary weasel weather weave weaver web webbed webbing wed wedded wedder wedding
wedge wedlock wee weedier weediest weedy week weekday weekend weep weer weest weigh weight weightier
weightiest weighty weird weirder weirdest weirdness weirdo welcome weld welder welfare well
wellington welt welter went wept were werewolf werewolves west westerly western westward wet wetted
wetter wettest wetting whack whale whaler wharf wharves what whatever whatsoever wheat wheedle wheel
wheelbarrow wheelchair wheeze when whence whenever where whereabouts whereas whereby wherein
whereupon wherever wherewithal whet whether whetted whetting whew which whichever whiff while whilst
whim whimper whimsical whine whinnied whinny whip whipped whipping whir whirl whirlpool whirlwind
whirr whisk whisker whiskey whisky whisper whistle white whiten whiteness whiter whitest whitewash
whittle whiz whizz who whoa whoever whole wholehearted wholesale wholesaler wholesome wholly whom
whoop whopper whore whose why wick wickeder wickedest wickedness wicker wicket wide widen wider
widespread widest widow widower width wield wife wig wigged wigging wiggle wigwam wild wildcat
wildcatted wildcatting wilder wilderness wildest wildfire wildlife wildness wilful wilier wiliest
will willful willingness willow willpower wilt wily win wince winch wind windfall windier windiest
windmill window windowpane windpipe windscreen windshield windy wine wing wingers wink winner
winning winsome winsomer winsomest winter winterier winteriest wintertime wintery wintrier wintriest
wintry wipe wiper wire wirier wiriest wiry wisdom wise wisecrack wiser wisest wish wishbone wishful
wisp wispier wispiest wispy wist wistful wit witch witchcraft with withdraw withdrawal withdrawn
withdrew wither withheld withhold within without withstand withstood witless witness witticism
wittier wittiest witting witty wive wiz wizard wizened wizzes wobble wobblier wobbliest wobbly woe
wok woke woken wolf wolves woman womanhood womankind womb wombat women won wonder wonderful
wonderland wondrous wont woo wood woodchuck wooden woodener woodenest woodier woodiest woodland
woodpecker woodsman woodsmen woodwind woodwork woody woof wool woolen woolie woolier wooliest
woollier woolliest word wordier wordiest wordy wore work workable workbench workbook worker
workforce workload workman workmanship workmen workout workplace workshop workstation world
worldlier worldliest worldwide worm wormhole worn worried worrisome worry worse worsen worship
worshiper worshipped worshipper worshipping worst worth worthier worthiest worthless worthwhile
worthy wot would wound wounder wove woven wow wrangle wrangler wrap wrapped wrapper wrapping wrapt
wrath wreak wreath wreathe wreck wreckage wrecker wren wrench wrest wrestle wrestler wretch
wretcheder wretchedest wrier wriest wriggle wright wring wringer wrinkle wrist wristwatch writ
writable write writer writhe written wrong wrongdoer wrongdoing wronger wrongest wrote wrought wrung
wry wryer wryest xci xcii xciv xcix xcvi xcvii xenophobia xii xiii xiv xix xvi xvii xviii xxi xxii
xxiii xxiv xxix xxv xxvi xxvii xxviii xxx xxxi xxxii xxxiii xxxiv xxxix xxxv xxxvi xxxvii xxxviii
xylophone yacht yack yak yakked yakking yam yank yap yapped yapping yard yardstick yarn yawn year
yearling yearn yeast yell yellow yellower yellowest yelp yen yes yessed yessing yesterday yet yeti
yew yield yock yodel yodelled yodelling yoga yoghourt yoghurt yogurt yoke yokel yolk yonder you
young younger youngest youngster your yourself yourselves youth youthful yowl yuck zanier zaniest
zany zeal zealous zebra zenith zero zest zeta zigzag zigzagged zigzagging zillion zinc zincked
zincking zip zipped zipper zipping zodiac zombi zombie zone zoo zoological zoologist zoology zoom
zucchini
`;
