"""The model's mechanisms, one module each, as pure functions over numpy arrays.

Rules never read files, print, draw or look at which scenario is running: a lever acts only by
changing the parameters a rule is called with. Each function states its equation and the theory
it comes from (see docs/ODD.md, section 7, for the full submodel descriptions).

========================  =============================================================
module                    mechanism
========================  =============================================================
``demand``                citizen demand, top-down tasks, hand-off overhead
``cascade``               target markup (层层加码), issuing and relaying meetings/documents
``inspection``            inspection planning from distrust and anxiety, detection, crowd-out
``rebound``               quota caps, enforcement drift, displacement into data requests
``digital``               platforms, data bureau merging
``coordination``          what necessary meetings and documents are for: rework without them
``work``                  allocation among staff (能者多劳), hours, traces (留痕)
``effort``                diligent or perfunctory work (应付), from incentives and monitoring
``output``                Yerkes-Dodson productivity, errors, service citizens get
``assessment``            process / result scoring, tournament ranking
``gaming``                gaming of result indicators (虚报), verification in the field
``accountability``        accountability events (问责), fault tolerance (容错)
``trial``                 room for trial and error: practices learnt, errors while trying
``anxiety``               anxiety targets and contagion down the chain
``trust``                 superiors' asymmetric trust
``burnout``               job demands-resources fatigue, leave and quitting
``staffing``              workload-following posts, temporary hires
``devolution``            counties pushing work down; what townships do with 人权 and 财权
========================  =============================================================
"""
